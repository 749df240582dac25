namespace FlowMatching.Errors;

/// <summary>A model file that cannot serve as a velocity field: unreadable, wrongly shaped, or with bad metadata.</summary>
public sealed class ModelContractException(string source, string problem, string? key = null, Exception? inner = null)
    : FlowMatchingException(key is null ? $"{source}: {problem}" : $"{source}: metadata key '{key}' {problem}", inner)
{
    /// <summary>The model file (or spec such as exact:NAME).</summary>
    public string ModelSource { get; } = source;

    /// <summary>The metadata key at fault, when one is.</summary>
    public string? Key { get; } = key;
}

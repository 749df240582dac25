namespace FlowMatching.Errors;

/// <summary>Input data (points, a checkpoint) that cannot be read; names the file and, where there is one, the line.</summary>
public sealed class DataFormatException(string file, string problem, long? line = null, Exception? inner = null)
    : FlowMatchingException(line is null ? $"{file}: {problem}" : $"{file}:{line}: {problem}", inner)
{
    public string File { get; } = file;

    /// <summary>1-based line number, when the problem is on one line.</summary>
    public long? Line { get; } = line;
}

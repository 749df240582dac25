namespace FlowMatching.Errors;

/// <summary>An output file that cannot be written (exists, is a directory, no space, no permission).</summary>
public sealed class OutputFileException(string path, string problem, bool exists = false, Exception? inner = null)
    : FlowMatchingException($"{path}: {problem}", inner)
{
    public string Path { get; } = path;

    /// <summary>True when the only problem is that the file exists and replacing it was not allowed.</summary>
    public bool AlreadyExists { get; } = exists;
}

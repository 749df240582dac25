using FlowMatching.Errors;

namespace FlowMatching.Io;

/// <summary>Checks on files the user hands in, worded so the message says what is actually wrong.</summary>
public static class InputFile
{
    private const int ExcerptLength = 40;

    public static void RequireReadable(string path)
    {
        if (Directory.Exists(path))
        {
            throw new DataFormatException(path, "is a directory, not a file");
        }

        if (!File.Exists(path))
        {
            throw new DataFormatException(path, "no such file");
        }
    }

    /// <summary>A field short enough to quote in a one-line error.</summary>
    public static string Excerpt(string field) =>
        field.Length <= ExcerptLength ? field : $"{field[..ExcerptLength]}... ({field.Length} characters)";
}

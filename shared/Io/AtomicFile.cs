using FlowMatching.Errors;

namespace FlowMatching.Io;

/// <summary>
/// An output file written under a temporary name beside its destination and renamed into place on
/// <see cref="Commit"/>, so a crash or an error never leaves a partial file where the user looks.
/// </summary>
public sealed class AtomicFile : IDisposable
{
    private bool _committed;

    private AtomicFile(string path, string temporaryPath, FileStream stream)
    {
        Path = path;
        TemporaryPath = temporaryPath;
        Stream = stream;
    }

    public string Path { get; }

    public string TemporaryPath { get; }

    public FileStream Stream { get; }

    /// <summary>Opens the temporary file; refuses to replace an existing file unless <paramref name="overwrite"/>.</summary>
    public static AtomicFile Create(string path, bool overwrite)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new OutputFileException(path, "is a directory, not a file");
        }

        if (File.Exists(full) && !overwrite)
        {
            throw new OutputFileException(path, "already exists", exists: true);
        }

        string temporary = System.IO.Path.Combine(
            System.IO.Path.GetDirectoryName(full)!,
            $".{System.IO.Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            return new AtomicFile(path, temporary, new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFileException(path, $"cannot write here ({e.Message})", inner: e);
        }
    }

    /// <summary>Writes all bytes at once, atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, bool overwrite)
    {
        using AtomicFile file = Create(path, overwrite);
        file.Stream.Write(bytes);
        file.Commit();
    }

    public void Commit()
    {
        try
        {
            Stream.Flush(flushToDisk: true);
            Stream.Dispose();
            File.Move(TemporaryPath, System.IO.Path.GetFullPath(Path), overwrite: true);
        }
        catch (IOException e)
        {
            throw new OutputFileException(Path, $"could not be written ({e.Message})", inner: e);
        }

        _committed = true;
    }

    public void Dispose()
    {
        Stream.Dispose();
        if (!_committed)
        {
            File.Delete(TemporaryPath);
        }
    }
}

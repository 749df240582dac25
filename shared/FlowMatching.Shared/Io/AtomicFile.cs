using FlowMatching.Errors;

namespace FlowMatching.Io;

/// <summary>
/// An output file written under a temporary name beside its destination and renamed into place on
/// <see cref="Commit"/>, so a crash or an error never leaves a partial file where the user looks.
/// </summary>
public sealed class AtomicFile : IDisposable
{
    private bool _committed;

    private readonly bool _overwrite;

    private AtomicFile(string path, string temporaryPath, FileStream stream, bool overwrite)
    {
        Path = path;
        TemporaryPath = temporaryPath;
        Stream = stream;
        _overwrite = overwrite;
    }

    public string Path { get; }

    public string TemporaryPath { get; }

    public FileStream Stream { get; }

    /// <summary>
    /// Opens the temporary file; refuses to replace an existing file unless <paramref name="overwrite"/>, and
    /// never replaces anything but a regular file.
    /// </summary>
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

        if (File.Exists(full) && !FileKind.IsRegularFile(full))
        {
            throw new OutputFileException(path, "is not a regular file (a device, FIFO or socket), so it is never replaced");
        }

        string directory = System.IO.Path.GetDirectoryName(full)!;
        string temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            RemoveAbandoned(directory, System.IO.Path.GetFileName(full));
            return new AtomicFile(path, temporary, new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None), overwrite);
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
        file.Write(bytes);
        file.Commit();
    }

    /// <summary>Writes to the temporary file; a failure (a full disk) names the destination and its cause.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        try
        {
            Stream.Write(bytes);
        }
        catch (IOException e)
        {
            throw Failed(e);
        }
    }

    /// <summary>
    /// Moves the finished file into place. Without overwrite the move refuses a file that appeared at the
    /// destination while this one was written, so the never-overwrite promise holds to the end.
    /// </summary>
    public void Commit()
    {
        string full = System.IO.Path.GetFullPath(Path);
        try
        {
            Stream.Flush(flushToDisk: true);
            Stream.Dispose();
        }
        catch (IOException e)
        {
            throw Failed(e);
        }

        if (_overwrite && File.Exists(full) && !FileKind.IsRegularFile(full))
        {
            throw new OutputFileException(Path, "became a device, FIFO or socket while this run wrote it, so it is not replaced");
        }

        try
        {
            File.Move(TemporaryPath, full, overwrite: _overwrite);
        }
        catch (IOException e) when (!_overwrite && File.Exists(full))
        {
            throw new OutputFileException(Path, "was created by something else while this run was writing it; it is kept as it is", exists: true, inner: e);
        }
        catch (IOException e)
        {
            throw Failed(e);
        }

        _committed = true;
    }

    // A run killed outright (SIGKILL, the machine's end) cannot remove its temporary file: the next run that writes
    // the same destination does, once the process whose id the name carries has gone.
    private static void RemoveAbandoned(string directory, string name)
    {
        foreach (string file in Directory.EnumerateFiles(directory, ".*.tmp"))
        {
            string fileName = System.IO.Path.GetFileName(file);
            if (!fileName.StartsWith($".{name}.", StringComparison.Ordinal))
            {
                continue;
            }

            string[] parts = fileName[(name.Length + 2)..^".tmp".Length].Split('.');
            if (parts is [string id, { Length: 32 } guid] && int.TryParse(id, out int processId) && Guid.TryParseExact(guid, "N", out _) && !IsRunning(processId))
            {
                File.Delete(file);
            }
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public OutputFileException Failed(IOException e) => new(Path, $"could not be written ({e.Message})", inner: e);

    /// <summary>Removes the temporary file of an uncommitted run, even when the disk is too full to flush it.</summary>
    public void Dispose()
    {
        try
        {
            Stream.Dispose();
        }
        catch (IOException) when (!_committed)
        {
            // Unflushed bytes of a file that is deleted next.
        }

        if (!_committed)
        {
            File.Delete(TemporaryPath);
        }
    }
}

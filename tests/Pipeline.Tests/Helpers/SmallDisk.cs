using System.Diagnostics;

namespace FlowMatching.Tests;

/// <summary>A real, nearly full file system: a tmpfs of a few pages mounted in a test folder, optionally filled to the last byte.</summary>
public sealed class SmallDisk : IDisposable
{
    private SmallDisk(string root) => Root = root;

    public string Root { get; }

    public string this[string name] => Path.Combine(Root, name);

    public IReadOnlyList<string> Files => Directory.GetFiles(Root).Select(Path.GetFileName).ToArray()!;

    /// <summary>Mounts the tmpfs; a machine where the tests cannot mount one (not root) makes the test inconclusive, never passed.</summary>
    public static SmallDisk Mount(TestFiles files, string size, bool fill)
    {
        string root = files["disk"];
        Directory.CreateDirectory(root);
        using Process mount = Process.Start(new ProcessStartInfo("mount", ["-t", "tmpfs", "-o", $"size={size}", "tmpfs", root]) { RedirectStandardError = true })!;
        mount.WaitForExit();
        if (mount.ExitCode != 0)
        {
            Assert.Inconclusive($"cannot mount a tmpfs here ({mount.StandardError.ReadToEnd().Trim()}); the full-disk tests need root");
        }

        var disk = new SmallDisk(root);
        if (fill)
        {
            disk.Fill();
        }

        return disk;
    }

    public void Dispose()
    {
        using Process unmount = Process.Start("umount", [Root])!;
        unmount.WaitForExit();
    }

    // Writes a filler file until the file system refuses, so the next write of any size fails with ENOSPC.
    private void Fill()
    {
        using var filler = new FileStream(this["filler"], FileMode.CreateNew);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                filler.Write(block);
                filler.Flush();
            }
        }
        catch (IOException)
        {
        }
    }
}

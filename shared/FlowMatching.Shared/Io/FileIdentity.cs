using System.Runtime.InteropServices;

namespace FlowMatching.Io;

/// <summary>
/// Whether two paths name the same file: the same (device, inode) where the system says (so a hard link or a
/// symbolic link to a file is that file), else the same full path with links resolved.
/// </summary>
public static class FileIdentity
{
    public static bool Same(string a, string b)
    {
        if (!File.Exists(a) || !File.Exists(b))
        {
            return Resolved(a) == Resolved(b);
        }

        return Inode(a) is { } first && Inode(b) is { } second ? first == second : Resolved(a) == Resolved(b);
    }

    private static string Resolved(string path)
    {
        string full = Path.GetFullPath(path);
        return File.Exists(full) && new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } target ? target.FullName : full;
    }

    // On 64-bit Linux struct stat begins with st_dev and st_ino, 8 bytes each (x86-64 and the generic layout alike).
    private static (ulong Device, ulong Inode)? Inode(string path)
    {
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess)
        {
            return null;
        }

        try
        {
            var buffer = new byte[256];
            return Stat(path, buffer) == 0 ? (BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8)) : null;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libc", EntryPoint = "stat")]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);
}

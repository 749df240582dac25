using System.Runtime.InteropServices;

namespace FlowMatching.Io;

/// <summary>
/// Whether a path is a regular file, asked of the kernel: .NET reports device nodes and FIFOs as ordinary
/// files, and replacing /dev/null with a regular file is exactly what an overwrite must never do.
/// </summary>
public static class FileKind
{
    private const uint TypeMask = 0xF000;
    private const uint Regular = 0x8000;

    /// <summary>True for a regular file (or a link to one); false for devices, FIFOs and sockets. Where the kernel cannot be asked, true.</summary>
    public static bool IsRegularFile(string path)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
        {
            return true;
        }

        // struct stat: st_mode follows st_dev, st_ino and st_nlink (x86-64) or st_dev and st_ino (arm64).
        int modeOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16;
        var buffer = new byte[256];
        try
        {
            return Stat(path, buffer) != 0 || (BitConverter.ToUInt32(buffer, modeOffset) & TypeMask) == Regular;
        }
        catch (EntryPointNotFoundException)
        {
            return true;
        }
    }

    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);
}

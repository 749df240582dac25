using System.Runtime.InteropServices;

namespace FlowMatching.Training;

/// <summary>
/// Keeps the C heap's freed memory for reuse during training. A U-Net step allocates and frees tens of
/// activation buffers of several MB; glibc's defaults hand each back to the kernel (mmap and trim), so every
/// step page-faults them in again: measured, a third of a batch-128 step's time went to the kernel
/// (models/README.md, "Where a U-Net training step's time goes"). Elsewhere than glibc this does nothing.
/// </summary>
public static class NativeHeap
{
    private const int TrimThreshold = -1;
    private const int TopPad = -2;
    private const int MmapThreshold = -3;

    /// <summary>Blocks up to 32 MB (glibc's largest) come from the heap, which keeps up to 1 GB it freed.</summary>
    public static void KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = mallopt(MmapThreshold, 32 << 20);
            _ = mallopt(TrimThreshold, 1 << 30);
            _ = mallopt(TopPad, 256 << 20);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl has no mallopt): its allocator keeps its own defaults.
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}

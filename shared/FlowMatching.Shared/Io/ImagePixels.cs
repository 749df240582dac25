namespace FlowMatching.Io;

/// <summary>
/// Images as unsigned bytes, image by image, each channel by channel ([count, channels, height, width]): what an IDX
/// file (one channel) or an image folder decodes to.
/// </summary>
public sealed record ImagePixels(int Count, int Height, int Width, byte[] Pixels)
{
    public int Channels { get; init; } = 1;
}

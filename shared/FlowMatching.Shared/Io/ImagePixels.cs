namespace FlowMatching.Io;

/// <summary>
/// Images as unsigned bytes, image by image, each channel by channel ([count, channels, height, width]): what an IDX
/// file (one channel) or an image folder decodes to.
/// </summary>
public sealed record ImagePixels(int Count, int Height, int Width, byte[] Pixels)
{
    public int Channels { get; init; } = 1;

    public int ImageSize => Channels * Height * Width;

    /// <summary>The images at <paramref name="indices"/>, in that order.</summary>
    public ImagePixels Select(IReadOnlyList<int> indices)
    {
        var pixels = new byte[(long)indices.Count * ImageSize];
        for (int k = 0; k < indices.Count; k++)
        {
            Array.Copy(Pixels, (long)indices[k] * ImageSize, pixels, (long)k * ImageSize, ImageSize);
        }

        return this with { Count = indices.Count, Pixels = pixels };
    }
}

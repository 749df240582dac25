using SkiaSharp;

namespace FlowMatching.Io;

/// <summary>
/// One image file decoded with SkiaSharp into RGBA premultiplied by alpha (so transparency is composited onto
/// black), resized and centre-cropped when asked. <see cref="Decode"/> returns the problem instead for a file that
/// cannot be read or decoded, and refuses before decoding an image whose header declares more than
/// <see cref="MaxPixels"/> pixels (decompression bombs).
/// </summary>
public sealed record DecodedImage(int Width, int Height, byte[] Rgba)
{
    public const long MaxPixels = 1L << 26;

    public bool IsGrey
    {
        get
        {
            for (int p = 0; p < Rgba.Length; p += 4)
            {
                if (Rgba[p] != Rgba[p + 1] || Rgba[p] != Rgba[p + 2])
                {
                    return false;
                }
            }

            return true;
        }
    }

    public static (DecodedImage? Image, string? Problem) Decode(string path, int? size)
    {
        try
        {
            using SKData? data = SKData.Create(path);
            using SKCodec? codec = data is null ? null : SKCodec.Create(data);
            if (codec is null)
            {
                return (null, data is null ? "cannot be read" : "is not a decodable image (corrupt, or not the format its name says)");
            }

            (int width, int height) = (codec.Info.Width, codec.Info.Height);
            if ((long)width * height > MaxPixels)
            {
                return (null, $"declares {width}x{height} pixels, more than the limit of {MaxPixels} (refused before decoding)");
            }

            var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
            using var bitmap = new SKBitmap(info);
            SKCodecResult result = codec.GetPixels(info, bitmap.GetPixels());
            return result switch
            {
                SKCodecResult.Success => (size is { } s && (width != s || height != s) ? ResizeAndCrop(bitmap, s) : new DecodedImage(width, height, bitmap.Bytes), null),
                SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput => (null, "is truncated or damaged"),
                _ => (null, $"cannot be decoded ({result})"),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot be read ({e.Message})");
        }
    }

    /// <summary>Writes the image as <paramref name="channels"/> planes: RGB, or the luma of PIL's convert("L").</summary>
    public void CopyTo(Span<byte> destination, int channels)
    {
        int plane = Width * Height;
        for (int p = 0; p < plane; p++)
        {
            (int r, int g, int b) = (Rgba[4 * p], Rgba[4 * p + 1], Rgba[4 * p + 2]);
            if (channels == 1)
            {
                destination[p] = (byte)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
            }
            else
            {
                (destination[p], destination[plane + p], destination[2 * plane + p]) = ((byte)r, (byte)g, (byte)b);
            }
        }
    }

    // torchvision's Resize(S) then CenterCrop(S): the shorter side becomes S, the longer S * long / short (rounded
    // down), and the crop's corner is the rounded half of the excess.
    private static DecodedImage ResizeAndCrop(SKBitmap bitmap, int size)
    {
        (int w, int h) = (bitmap.Width, bitmap.Height);
        (int nw, int nh) = w <= h ? (size, (int)((long)size * h / w)) : ((int)((long)size * w / h), size);
        using SKBitmap resized = bitmap.Resize(new SKImageInfo(nw, nh, SKColorType.Rgba8888, SKAlphaType.Premul), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        int left = (int)Math.Round((nw - size) / 2.0, MidpointRounding.ToEven), top = (int)Math.Round((nh - size) / 2.0, MidpointRounding.ToEven);
        byte[] all = resized.Bytes, crop = new byte[4 * size * size];
        for (int row = 0; row < size; row++)
        {
            Array.Copy(all, 4 * ((top + row) * nw + left), crop, 4 * row * size, 4 * size);
        }

        return new DecodedImage(size, size, crop);
    }
}

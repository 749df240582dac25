using FlowMatching.Errors;
using SkiaSharp;

namespace FlowMatching.Io;

/// <summary>What an image folder decoded to: the pixels, each image's class (null without class folders), and the
/// class names (the folders' names in sorted order).</summary>
public sealed record ImageFolderContents(ImagePixels Images, byte[]? Labels, IReadOnlyList<string> ClassNames, int IgnoredFiles);

/// <summary>
/// A folder of images in torchvision's ImageFolder convention: DIR/CLASS/*.png|jpg|jpeg|bmp|webp|gif, classes
/// numbered in the ordinal order of the folder names, or images directly in DIR for an unlabelled set. Decoded
/// with SkiaSharp in parallel; grey when every image is grey, else RGB; transparency composited onto black.
/// </summary>
public static class ImageFolder
{
    /// <summary>The most pixels an image header may declare; checked before decoding (decompression bombs).</summary>
    public const long MaxPixels = 1L << 26;

    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".webp", ".gif"];

    public static ImageFolderContents Read(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DataFormatException(folder, "no such folder");
        }

        string root = Path.GetFullPath(folder).TrimEnd('/');
        string[] classFolders = [.. Listing(folder, Directory.GetDirectories).Order(StringComparer.Ordinal)];
        var files = new List<string>();
        var labels = new List<byte>();
        int ignored = 0;
        if (classFolders.Length > 256)
        {
            throw new DataFormatException(folder, $"has {classFolders.Length} class folders; at most 256 classes are supported");
        }

        foreach ((string dir, int label) in classFolders.Length == 0 ? [(folder, 0)] : classFolders.Select((d, i) => (d, i)))
        {
            RefuseLoop(dir, root);
            string[] all = Listing(dir, Directory.GetFiles);
            string[] found = [.. all.Where(IsImageName).Order(StringComparer.Ordinal)];
            ignored += all.Length - found.Length;
            if (found.Length == 0 && classFolders.Length > 0)
            {
                throw new DataFormatException(dir, "an empty class folder (no .png, .jpg, .jpeg, .bmp, .webp or .gif files)");
            }

            files.AddRange(found);
            labels.AddRange(Enumerable.Repeat((byte)label, found.Length));
        }

        if (classFolders.Length > 0)
        {
            ignored += Listing(folder, Directory.GetFiles).Length;
        }

        if (files.Count < 2)
        {
            throw new DataFormatException(folder, $"holds {files.Count} image(s); a data set needs at least 2");
        }

        var decoded = new DecodedImage?[files.Count];
        var problems = new string?[files.Count];
        Parallel.For(0, files.Count, i => (decoded[i], problems[i]) = Decode(files[i]));
        int bad = Array.FindIndex(problems, p => p is not null);
        if (bad >= 0)
        {
            throw new DataFormatException(files[bad], problems[bad]!);
        }

        DecodedImage first = decoded[0]!;
        int other = Array.FindIndex(decoded, d => d!.Width != first.Width || d.Height != first.Height);
        if (other >= 0)
        {
            throw new DataFormatException(files[other], $"is {decoded[other]!.Width}x{decoded[other]!.Height}, but {Path.GetFileName(files[0])} is {first.Width}x{first.Height}; images must share one size");
        }

        bool colour = decoded.Any(d => !d!.IsGrey);
        int channels = colour ? 3 : 1, plane = first.Width * first.Height;
        var pixels = new byte[(long)files.Count * channels * plane];
        Parallel.For(0, files.Count, i => decoded[i]!.CopyTo(pixels.AsSpan(i * channels * plane, channels * plane), channels));
        var images = new ImagePixels(files.Count, first.Height, first.Width, pixels) { Channels = channels };
        return new ImageFolderContents(images, classFolders.Length == 0 ? null : [.. labels], [.. classFolders.Select(Path.GetFileName)!], ignored);
    }

    private static bool IsImageName(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    private static string[] Listing(string dir, Func<string, string[]> list)
    {
        try
        {
            return list(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(dir, $"cannot be read ({e.Message})", inner: e);
        }
    }

    // A class folder that is a link back to the folder (or above it) would list the data set inside itself.
    private static void RefuseLoop(string dir, string root)
    {
        try
        {
            if (new DirectoryInfo(dir).ResolveLinkTarget(returnFinalTarget: true) is { } target
                && (root + "/").StartsWith(Path.GetFullPath(target.FullName).TrimEnd('/') + "/", StringComparison.Ordinal))
            {
                throw new DataFormatException(dir, $"is a symbolic link back to {target.FullName}, which holds it (a loop)");
            }
        }
        catch (IOException e)
        {
            throw new DataFormatException(dir, $"cannot be followed ({e.Message})", inner: e);
        }
    }

    private static (DecodedImage?, string?) Decode(string path)
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

            var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            using var bitmap = new SKBitmap(info);
            SKCodecResult result = codec.GetPixels(info, bitmap.GetPixels());
            return result switch
            {
                SKCodecResult.Success => (new DecodedImage(width, height, bitmap.Bytes), null),
                SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput => (null, "is truncated or damaged"),
                _ => (null, $"cannot be decoded ({result})"),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot be read ({e.Message})");
        }
    }

    // RGBA bytes of one decoded image, composited onto black.
    private sealed record DecodedImage(int Width, int Height, byte[] Rgba)
    {
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

        public void CopyTo(Span<byte> destination, int channels)
        {
            int plane = Width * Height;
            for (int p = 0; p < plane; p++)
            {
                int alpha = Rgba[4 * p + 3];
                for (int c = 0; c < channels; c++)
                {
                    destination[c * plane + p] = (byte)((Rgba[4 * p + c] * alpha + 127) / 255);
                }
            }
        }
    }
}

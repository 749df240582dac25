using FlowMatching.Errors;
using FlowMatching.Progress;
using SkiaSharp;

namespace FlowMatching.Io;

/// <summary>
/// Writes images as a PNG class folder (DIR/CLASS/NNNNN.png, the layout <see cref="ImageFolderListing"/> reads), built
/// under a temporary name beside DIR and renamed into place when complete, so an interrupted or failed run leaves
/// nothing. A folder already there is never written into.
/// </summary>
public static class ImageFolderWriter
{
    /// <summary>A class name as a folder name: a slash (T-shirt/top) becomes a hyphen.</summary>
    public static string FolderName(string className)
    {
        string name = className.Replace('/', '-').Replace('\0', '-');
        return name is "." or ".." or "" ? $"class{name}" : name;
    }

    public static void Write(string folder, ImagePixels images, byte[]? labels, IReadOnlyList<string> classNames, IProgress<WorkProgress>? progress = null, CancellationToken cancellation = default)
    {
        string full = Path.GetFullPath(folder).TrimEnd('/');
        if (Directory.Exists(full) || File.Exists(full))
        {
            throw new OutputFileException(folder, "already exists; image folders are written only where nothing is", exists: true);
        }

        string[] names = [.. classNames.Select(FolderName)];
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            throw new OutputFileException(folder, $"two class names give the same folder name ({string.Join(", ", names)})");
        }

        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            foreach (string name in labels is null ? [""] : names)
            {
                Directory.CreateDirectory(Path.Combine(temporary, name));
            }

            int digits = Math.Max(5, images.Count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length), done = 0;
            var gate = new object();
            Parallel.For(0, images.Count, new ParallelOptions { CancellationToken = cancellation }, i =>
            {
                string name = Path.Combine(temporary, labels is null ? "" : names[labels[i]], i.ToString(new string('0', digits), System.Globalization.CultureInfo.InvariantCulture) + ".png");
                File.WriteAllBytes(name, Png(images, i));
                lock (gate)
                {
                    progress?.Report(new WorkProgress(++done, images.Count, "PNG files"));
                }
            });
            Directory.Move(temporary, full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFileException(folder, $"could not be written ({e.Message})", inner: e);
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    private static byte[] Png(ImagePixels images, int index)
    {
        int plane = images.Height * images.Width;
        ReadOnlySpan<byte> pixels = images.Pixels.AsSpan(index * images.ImageSize, images.ImageSize);
        bool grey = images.Channels == 1;
        using var bitmap = new SKBitmap(new SKImageInfo(images.Width, images.Height, grey ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque));
        Span<byte> destination = bitmap.GetPixelSpan();
        for (int p = 0; p < plane; p++)
        {
            if (grey)
            {
                destination[p] = pixels[p];
            }
            else
            {
                (destination[4 * p], destination[4 * p + 1], destination[4 * p + 2], destination[4 * p + 3]) = (pixels[p], pixels[plane + p], pixels[2 * plane + p], 255);
            }
        }

        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }
}

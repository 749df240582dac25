using FlowMatching.Io;
using SkiaSharp;

namespace FlowMatching.Runtime.Images;

/// <summary>
/// Sampled images as one PNG: one row per class (in class order) for class-conditional samples, else a square
/// grid; pixels mapped from the model's value range to 0..255, each image pixel drawn as scale x scale. Row labels
/// are drawn in the machine's default font (SkiaSharp reads /usr/share/fonts; Debian's fonts-dejavu-core gives one).
/// </summary>
public static class ImageGrid
{
    public const int MaxImages = 400;

    /// <summary>
    /// Samples in a square grid, or a row per class when their classes are given, each row labelled by its class's
    /// name (its number where <paramref name="classNames"/> does not name it).
    /// </summary>
    public static void Save(string path, float[] images, IReadOnlyList<int> shape, long[]? classes, (double Low, double High) range, bool overwrite, int scale = 3, IReadOnlyList<string>? classNames = null)
    {
        int size = shape.Aggregate(1, (a, b) => a * b);
        int count = Math.Min(images.Length / size, MaxImages);
        int[][] order = classes is null
            ? Enumerable.Range(0, count).Chunk((int)Math.Ceiling(Math.Sqrt(count))).ToArray()
            : Enumerable.Range(0, count).GroupBy(i => classes[i]).OrderBy(g => g.Key).Select(g => g.ToArray()).ToArray();
        string[]? labels = classes is null ? null : order
            .Select(row => classes[row[0]])
            .Select(c => classNames is not null && c >= 0 && c < classNames.Count ? classNames[(int)c] : c.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
        Save(path, order.Select(row => row.Select(i => images.AsSpan(i * size, size).ToArray()).ToArray()).ToArray(), shape, range, overwrite, scale, labels);
    }

    /// <summary>Images laid out as given: one list of images per row, each row after its label when labels are given.</summary>
    public static void Save(string path, IReadOnlyList<IReadOnlyList<float[]>> rows, IReadOnlyList<int> shape, (double Low, double High) range, bool overwrite, int scale = 3, IReadOnlyList<string>? rowLabels = null)
    {
        int channels = shape[0], height = shape[1], width = shape[2];
        int columns = rows.Max(r => r.Count);
        const int gap = 2;
        using var font = new SKFont(SKTypeface.Default, Math.Clamp(height * scale * 0.4f, 9, 16));
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        int margin = rowLabels is null ? 0 : (int)Math.Ceiling(rowLabels.Max(l => font.MeasureText(l))) + 3 * gap;
        using var bitmap = new SKBitmap(margin + columns * (width * scale + gap) + gap, rows.Count * (height * scale + gap) + gap);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            for (int r = 0; r < (rowLabels?.Count ?? 0); r++)
            {
                float middle = gap + r * (height * scale + gap) + height * scale / 2f;
                canvas.DrawText(rowLabels![r], 2 * gap, middle + font.Size / 3, SKTextAlign.Left, font, ink);
            }
        }

        for (int r = 0; r < rows.Count; r++)
        {
            for (int c = 0; c < rows[r].Count; c++)
            {
                Draw(bitmap, rows[r][c], channels, height, width, range, margin + gap + c * (width * scale + gap), gap + r * (height * scale + gap), scale);
            }
        }

        using SKData png = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.WriteAllBytes(path, png.ToArray(), overwrite);
    }

    private static byte Level(float value, (double Low, double High) range) =>
        (byte)Math.Clamp(Math.Round(255 * (value - range.Low) / (range.High - range.Low)), 0, 255);

    private static void Draw(SKBitmap bitmap, ReadOnlySpan<float> image, int channels, int height, int width, (double Low, double High) range, int left, int top, int scale)
    {
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                byte gray = Level(image[y * width + x], range);
                SKColor color = channels == 3
                    ? new SKColor(gray, Level(image[(height + y) * width + x], range), Level(image[(2 * height + y) * width + x], range))
                    : new SKColor(gray, gray, gray);
                for (int dy = 0; dy < scale; dy++)
                {
                    for (int dx = 0; dx < scale; dx++)
                    {
                        bitmap.SetPixel(left + x * scale + dx, top + y * scale + dy, color);
                    }
                }
            }
        }
    }
}

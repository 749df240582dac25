using FlowMatching.Errors;
using FlowMatching.Io;
using FlowMatching.Randomness;

namespace FlowMatching.Distributions;

/// <summary>
/// A labelled image set as a distribution: images drawn uniformly with replacement, flattened row-major
/// (channel, row, column) with pixels scaled from [0, 255] to [-1, 1], each with its class.
/// </summary>
public sealed class ImageDataset : IDistribution
{
    public const float PixelLow = -1f;
    public const float PixelHigh = 1f;

    private readonly float[] _pixels;

    public ImageDataset(string name, ImagePixels images, byte[]? labels, IReadOnlyList<string> classNames, string source)
    {
        if (labels is not null && labels.Length != images.Count)
        {
            throw new DataFormatException(source, $"has {labels.Length} labels for {images.Count} images");
        }

        if (labels is not null && labels.Any(l => l >= classNames.Count))
        {
            throw new DataFormatException(source, $"has a label above {classNames.Count - 1}, the last of its {classNames.Count} classes");
        }

        Name = name;
        Channels = images.Channels;
        Height = images.Height;
        Width = images.Width;
        Labels = labels;
        ClassNames = classNames;
        _pixels = images.Pixels.Select(p => p / 127.5f - 1f).ToArray();
    }

    public string Name { get; }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public int Dimension => Channels * Height * Width;

    public int Count => _pixels.Length / Dimension;

    /// <summary>Each image's class; null for an unlabelled set.</summary>
    public byte[]? Labels { get; }

    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>What identifies the source's contents (an image folder's <see cref="FolderFingerprint"/>); null: the pixels do.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>What was read, in words, where the source has more to say than its size (an image folder).</summary>
    public string? Description { get; init; }

    public ReadOnlySpan<float> Image(int index) => _pixels.AsSpan(index * Dimension, Dimension);

    /// <summary>Mirrors one image of this set's shape left to right, in place.</summary>
    public void FlipHorizontally(Span<float> image)
    {
        for (int row = 0; row < Channels * Height; row++)
        {
            image.Slice(row * Width, Width).Reverse();
        }
    }

    public void Sample(RandomStream random, Span<float> destination) => Sample(random, destination, []);

    /// <summary>Draws images into <paramref name="destination"/> and, when asked for, their classes into <paramref name="classes"/>.</summary>
    public void Sample(RandomStream random, Span<float> destination, Span<long> classes)
    {
        for (int i = 0; i < destination.Length / Dimension; i++)
        {
            int index = random.NextInt(Count);
            Image(index).CopyTo(destination.Slice(i * Dimension, Dimension));
            if (!classes.IsEmpty)
            {
                classes[i] = Labels?[index] ?? 0;
            }
        }
    }
}

using FlowMatching.Errors;

namespace FlowMatching.Training.Network;

/// <summary>
/// The shape of a class-conditional U-Net velocity field on images: channel widths per resolution level
/// (each level halves the image), the image's size, and the classes (0: unconditional). With classes, the
/// class embedding has one extra row, the null class <see cref="NullClass"/>, so one network is both
/// conditional and unconditional (classifier-free guidance).
/// </summary>
public sealed record UNetConfig(IReadOnlyList<int> Channels, int ImageChannels, int Height, int Width, int Classes)
{
    /// <summary>A flow map's U-Net, which also takes the step size h.</summary>
    public bool TakesStep { get; init; }

    /// <summary>Sinusoidal features of t fed to the time MLP.</summary>
    public int TimeFeatures => 2 * Math.Max(8, Channels[0] / 2);

    /// <summary>Width of the time (and class) embedding every residual block receives.</summary>
    public int EmbeddingWidth => 4 * Channels[0];

    /// <summary>GroupNorm groups: 8, or fewer where a width is not a multiple of 8.</summary>
    public int Groups => Channels.Append(Channels[0]).Aggregate(8, (g, c) => Gcd(g, c));

    public int NullClass => Classes;

    /// <summary>
    /// Widths 32, 64, 64 (and 128 for a fourth level) with as many levels as the image allows: each level halves it,
    /// the bottom stays at least 4 pixels a side, and images above 32 pixels get a fourth level. 28x28: 32, 64, 64.
    /// </summary>
    public static IReadOnlyList<int> DefaultChannels(int height, int width)
    {
        int[] widths = [32, 64, 64, 128];
        int levels = Math.Min(height, width) > 32 ? 4 : 3;
        while (levels > 1 && (height % (1 << (levels - 1)) != 0 || width % (1 << (levels - 1)) != 0 || Math.Min(height, width) >> (levels - 1) < 4))
        {
            levels--;
        }

        return widths[..levels];
    }

    public void Validate()
    {
        if (Channels.Count is < 1 or > 4 || Channels.Any(c => c is < 4 or > 1024))
        {
            throw new InvalidSettingException("Channels", $"'{string.Join(",", Channels)}' is not one to four widths from 4 to 1024");
        }

        int scale = 1 << (Channels.Count - 1);
        if (Height % scale != 0 || Width % scale != 0)
        {
            throw new InvalidSettingException("Channels", $"{Channels.Count} levels halve a {Height}x{Width} image {Channels.Count - 1} times, which needs sides divisible by {scale}");
        }
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}

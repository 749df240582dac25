using FlowMatching.Randomness;

namespace FlowMatching.Distributions;

/// <summary>
/// The tutorial's checkerboard: uniform on the filled squares of a 4x4 board of side-2 squares on [-4, 4]^2,
/// drawn exactly as its commented-out sampler does.
/// </summary>
public sealed class Checkerboard : IDistribution
{
    public string Name => "checkerboard";

    public int Dimension => 2;

    public void Sample(RandomStream random, Span<float> destination)
    {
        for (int offset = 0; offset < destination.Length; offset += 2)
        {
            double x1 = random.NextUniform() * 4 - 2;
            double x2 = random.NextUniform() - random.NextInt(2) * 2;
            x2 += FloorMod2(x1);
            destination[offset] = (float)(x1 * 2);
            destination[offset + 1] = (float)(x2 * 2);
        }
    }

    /// <summary>Whether a point lies on a filled square (the support of the distribution).</summary>
    public static bool IsInside(double x, double y)
    {
        double u = x / 2;
        double v = y / 2;
        if (u < -2 || u >= 2 || v < -2 || v >= 2)
        {
            return false;
        }

        double cellParity = FloorMod2(u);
        double rowOffset = v - cellParity;
        return (rowOffset >= 0 && rowOffset < 1) || (rowOffset >= -2 && rowOffset < -1);
    }

    // Python's floor(x) % 2: always 0 or 1, also for negative x.
    private static double FloorMod2(double x) => ((Math.Floor(x) % 2) + 2) % 2;
}

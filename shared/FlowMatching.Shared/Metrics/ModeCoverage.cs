using FlowMatching.Distributions;
using FlowMatching.Io;

namespace FlowMatching.Metrics;

/// <summary>
/// How samples cover a Gaussian mixture's modes: each sample is assigned to its nearest mode and counts
/// for it when within <see cref="Radius"/> component standard deviations; the rest are off-mode.
/// </summary>
public sealed record ModeCoverage(IReadOnlyList<double> Fractions, double OffMode, double Radius)
{
    public double Smallest => Fractions.Min();

    public double Largest => Fractions.Max();

    public double OnMode => 1 - OffMode;

    public static ModeCoverage Measure(GaussianMixture mixture, PointSet samples, double radius = 3.0)
    {
        var counts = new long[mixture.Components.Count];
        long off = 0;
        for (int i = 0; i < samples.Count; i++)
        {
            ReadOnlySpan<float> x = samples.Point(i);
            int k = mixture.NearestComponent(x);
            double std = mixture.Components[k].Std;
            if (GaussianMixture.SquaredDistance(mixture.Components[k].Mean, x) <= radius * radius * std * std)
            {
                counts[k]++;
            }
            else
            {
                off++;
            }
        }

        return new ModeCoverage(counts.Select(c => (double)c / samples.Count).ToArray(), (double)off / samples.Count, radius);
    }
}

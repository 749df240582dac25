using FlowMatching.Distributions;
using FlowMatching.Io;
using FlowMatching.Randomness;

namespace FlowMatching.Metrics;

/// <summary>
/// How well samples match a known target: discrepancies against fresh target samples, each beside its
/// noise floor (the expected value of the same statistic between two independent target sets of the
/// same size), plus the target's own coverage figures.
/// </summary>
public sealed record SampleEvaluation(
    string Target,
    int Count,
    double Energy,
    double EnergyFloor,
    double Mmd,
    double MmdFloor,
    double Bandwidth,
    ModeCoverage? Modes,
    double? InsideSquares)
{
    public double EnergyRatio => Energy / EnergyFloor;

    /// <summary>Evaluates at most <paramref name="maxPoints"/> of the samples (the first ones) against as many target draws.</summary>
    public static SampleEvaluation Measure(IDistribution target, PointSet samples, long seed, int maxPoints)
    {
        if (samples.Dimension != target.Dimension)
        {
            throw new UserInputException($"the samples have {samples.Dimension} columns but {target.Name} lives in {target.Dimension} dimensions");
        }

        int n = Math.Min(samples.Count, maxPoints);
        var used = new PointSet(samples.Values[..(n * samples.Dimension)], samples.Dimension);
        PointSet reference = Draw(target, n, seed, 0);
        // Kernel width fixed by the target alone, so the statistic and its floor use the same kernel.
        double bandwidth = MedianDistance(reference, 1000);
        var discrepancy = new SampleDiscrepancy(reference, bandwidth);
        (double energy, double mmd) = discrepancy.Against(used);
        (double energyFloor, double mmdFloor) = discrepancy.NullExpectation(n, n);
        return new SampleEvaluation(
            target.Name, n, energy, energyFloor, mmd, mmdFloor, bandwidth,
            target is GaussianMixture mixture ? ModeCoverage.Measure(mixture, samples) : null,
            target is Checkerboard ? CheckerboardCoverage.InsideFraction(samples) : null);
    }

    private static PointSet Draw(IDistribution target, int n, long seed, ulong copy)
    {
        var values = new float[n * target.Dimension];
        target.Sample(new RandomStream((ulong)seed, Streams.Evaluation + 16 * copy), values);
        return new PointSet(values, target.Dimension);
    }

    private static double MedianDistance(PointSet points, int limit)
    {
        int m = Math.Min(points.Count, limit);
        var distances = new List<double>(m * (m - 1) / 2);
        for (int i = 0; i < m; i++)
        {
            for (int j = i + 1; j < m; j++)
            {
                ReadOnlySpan<float> a = points.Point(i), b = points.Point(j);
                double squared = 0;
                for (int k = 0; k < a.Length; k++)
                {
                    squared += (a[k] - b[k]) * (a[k] - b[k]);
                }

                distances.Add(Math.Sqrt(squared));
            }
        }

        distances.Sort();
        return distances[distances.Count / 2];
    }
}

using FlowMatching.Distributions;
using FlowMatching.Errors;
using FlowMatching.Io;
using FlowMatching.Progress;
using FlowMatching.Randomness;

namespace FlowMatching.Metrics;

/// <summary>
/// How well samples match a known target: discrepancies against fresh target sets of the samples' size,
/// each beside its noise floor (the expected value of the same statistic between two independent target
/// sets of that size), plus the target's own coverage figures. The discrepancies are means over several
/// independent target sets because one set alone moves the energy ratio by tens of percent (models/README.md,
/// Evaluation); the lowest and highest single-draw
/// ratios are kept so that scatter stays visible. Count is the number of samples the pairwise statistics
/// used; the coverage figures, linear in the samples, use all SampleCount of them.
/// </summary>
public sealed record SampleEvaluation(
    string Target,
    int SampleCount,
    int Count,
    int TargetDraws,
    double Energy,
    double EnergyFloor,
    double EnergyRatioLowest,
    double EnergyRatioHighest,
    double Mmd,
    double MmdFloor,
    double Bandwidth,
    ModeCoverage? Modes,
    double? InsideSquares)
{
    public double EnergyRatio => Energy / EnergyFloor;

    public const int DefaultTargetDraws = 8;

    /// <summary>
    /// Evaluates at most <paramref name="maxPoints"/> of the samples (the first ones) against
    /// <paramref name="targetDraws"/> independent target sets of as many points each.
    /// </summary>
    public static SampleEvaluation Measure(
        IDistribution target, PointSet samples, long seed, int maxPoints, int targetDraws = DefaultTargetDraws, IProgress<WorkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (samples.Count < 2)
        {
            throw new InvalidSettingException("Samples", $"the discrepancies need at least 2 samples, found {samples.Count}");
        }

        if (samples.Dimension != target.Dimension)
        {
            throw new InvalidSettingException("Target", $"the samples have {samples.Dimension} columns but {target.Name} lives in {target.Dimension} dimensions");
        }

        int n = Math.Min(samples.Count, maxPoints);
        var used = new PointSet(samples.Values[..(n * samples.Dimension)], samples.Dimension);
        PointSet first = Draw(target, n, seed, 0);
        // Kernel width fixed by the target alone, so the statistic and its floor use the same kernel.
        double bandwidth = MedianDistance(first, 1000);
        var discrepancy = new SampleDiscrepancy(used, bandwidth);
        var draws = new Discrepancy[targetDraws];
        for (int copy = 0; copy < targetDraws; copy++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            draws[copy] = discrepancy.Against(copy == 0 ? first : Draw(target, n, seed, (ulong)copy));
            progress?.Report(new WorkProgress(copy + 1, targetDraws, "target sets"));
        }

        double energyFloor = draws.Average(d => d.Floor.Energy);
        return new SampleEvaluation(
            target.Name, samples.Count, n, targetDraws,
            draws.Average(d => d.Energy), energyFloor,
            draws.Min(d => d.Energy) / energyFloor, draws.Max(d => d.Energy) / energyFloor,
            draws.Average(d => d.Mmd), draws.Average(d => d.Floor.Mmd), bandwidth,
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

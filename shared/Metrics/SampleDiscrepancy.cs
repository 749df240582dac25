using FlowMatching.Io;

namespace FlowMatching.Metrics;

/// <summary>
/// Two-sample discrepancies between point sets X and Y, both as V-statistics over all pairs:
/// the energy distance 2 E|X - Y| - E|X - X'| - E|Y - Y'| and the squared MMD with a Gaussian
/// kernel exp(-|a - b|^2 / (2 h^2)). Both are zero only when the distributions agree; with finite
/// samples they sit at a positive floor that shrinks like 1/n.
/// The reference set's own pair terms are computed once and reused for every set compared with it.
/// </summary>
public sealed class SampleDiscrepancy(PointSet reference, double bandwidth)
{
    private readonly (double Distance, double Kernel) _referencePairs = PairMeans(reference, reference, bandwidth);

    public (double Energy, double Mmd) Against(PointSet x)
    {
        (double xyDistance, double xyKernel) = PairMeans(x, reference, bandwidth);
        (double xxDistance, double xxKernel) = PairMeans(x, x, bandwidth);
        return (2 * xyDistance - xxDistance - _referencePairs.Distance, xxKernel + _referencePairs.Kernel - 2 * xyKernel);
    }

    /// <summary>
    /// The expected value of both statistics between two independent sets of sizes n and m drawn from the
    /// reference's distribution: (1/n + 1/m) E|X - X'| for the energy and (1/n + 1/m)(1 - E k(X, X')) for
    /// the MMD, with the expectations taken over distinct reference pairs. This is the noise floor without
    /// the tens-of-percent scatter of a single drawn floor.
    /// </summary>
    public (double Energy, double Mmd) NullExpectation(int n, int m)
    {
        int count = reference.Count;
        double distinctPairs = (double)count * (count - 1);
        double pairs = (double)count * count;
        // V-statistic means include the count self-pairs at distance 0 and kernel 1.
        double meanDistance = _referencePairs.Distance * pairs / distinctPairs;
        double meanKernel = (_referencePairs.Kernel * pairs - count) / distinctPairs;
        double size = 1.0 / n + 1.0 / m;
        return (size * meanDistance, size * (1 - meanKernel));
    }

    private static (double Distance, double Kernel) PairMeans(PointSet a, PointSet b, double bandwidth)
    {
        int d = a.Dimension;
        double scale = -0.5 / (bandwidth * bandwidth);
        var rowDistance = new double[a.Count];
        var rowKernel = new double[a.Count];
        Parallel.For(0, a.Count, i =>
        {
            ReadOnlySpan<float> p = a.Values.AsSpan(i * d, d);
            double distance = 0, kernel = 0;
            for (int j = 0; j < b.Count; j++)
            {
                ReadOnlySpan<float> q = b.Values.AsSpan(j * d, d);
                double squared = 0;
                for (int k = 0; k < d; k++)
                {
                    double diff = p[k] - q[k];
                    squared += diff * diff;
                }

                distance += Math.Sqrt(squared);
                kernel += Math.Exp(scale * squared);
            }

            rowDistance[i] = distance;
            rowKernel[i] = kernel;
        });
        double pairs = (double)a.Count * b.Count;
        return (rowDistance.Sum() / pairs, rowKernel.Sum() / pairs);
    }
}

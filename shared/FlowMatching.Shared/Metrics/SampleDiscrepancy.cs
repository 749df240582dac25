using System.Numerics.Tensors;
using FlowMatching.Io;

namespace FlowMatching.Metrics;

/// <summary>
/// Two-sample discrepancies between a fixed sample set X and reference sets Y, both as V-statistics over all
/// pairs: the energy distance 2 E|X - Y| - E|X - X'| - E|Y - Y'| and the squared MMD with a Gaussian kernel
/// exp(-|a - b|^2 / (2 h^2)). Both are zero only when the distributions agree; with finite samples they sit
/// at a positive floor that shrinks like 1/n.
/// The sample set's own pair terms are computed once and reused for every reference compared with it.
/// </summary>
public sealed class SampleDiscrepancy(PointSet samples, double bandwidth)
{
    private readonly PairMeans _samplePairs = PairMeans.Between(samples, samples, bandwidth);

    public Discrepancy Against(PointSet reference)
    {
        PairMeans cross = PairMeans.Between(samples, reference, bandwidth);
        PairMeans referencePairs = PairMeans.Between(reference, reference, bandwidth);
        return new Discrepancy(
            2 * cross.Distance - _samplePairs.Distance - referencePairs.Distance,
            _samplePairs.Kernel + referencePairs.Kernel - 2 * cross.Kernel,
            NullExpectation(referencePairs, n: samples.Count, m: reference.Count));
    }

    /// <summary>
    /// The expected value of both statistics between two independent sets of sizes n and m (the reference's
    /// size) drawn from the reference's distribution: (1/n + 1/m) E|Y - Y'| for the energy and (1/n + 1/m)(1 - E k(Y, Y')) for
    /// the MMD, with the expectations taken over distinct reference pairs. This is the noise floor without
    /// the tens-of-percent scatter of a single drawn floor.
    /// </summary>
    private static (double Energy, double Mmd) NullExpectation(PairMeans referencePairs, int n, int m)
    {
        double distinctPairs = (double)m * (m - 1);
        double pairs = (double)m * m;
        // V-statistic means include the m self-pairs at distance 0 and kernel 1.
        double meanDistance = referencePairs.Distance * pairs / distinctPairs;
        double meanKernel = (referencePairs.Kernel * pairs - m) / distinctPairs;
        double size = 1.0 / n + 1.0 / m;
        return (size * meanDistance, size * (1 - meanKernel));
    }

    private readonly record struct PairMeans(double Distance, double Kernel)
    {
        private const int RowsPerTask = 64;

        /// <summary>Means over all pairs (a_i, b_j) of |a_i - b_j| and of the kernel, one row of b at a time in vector lanes.</summary>
        public static PairMeans Between(PointSet a, PointSet b, double bandwidth)
        {
            double[][] columns = Columns(b);
            double scale = -0.5 / (bandwidth * bandwidth);
            int tasks = (a.Count + RowsPerTask - 1) / RowsPerTask;
            var distance = new double[tasks];
            var kernel = new double[tasks];
            Parallel.For(0, tasks, task =>
            {
                var squared = new double[b.Count];
                var work = new double[b.Count];
                for (int i = task * RowsPerTask; i < Math.Min(a.Count, (task + 1) * RowsPerTask); i++)
                {
                    ReadOnlySpan<float> p = a.Point(i);
                    squared.AsSpan().Clear();
                    for (int k = 0; k < p.Length; k++)
                    {
                        TensorPrimitives.Subtract(columns[k], p[k], work);
                        TensorPrimitives.FusedMultiplyAdd(work, work, squared, squared);
                    }

                    TensorPrimitives.Sqrt(squared, work);
                    distance[task] += TensorPrimitives.Sum<double>(work);
                    TensorPrimitives.Multiply(squared, scale, work);
                    TensorPrimitives.Exp(work, work);
                    kernel[task] += TensorPrimitives.Sum<double>(work);
                }
            });
            double pairs = (double)a.Count * b.Count;
            return new PairMeans(distance.Sum() / pairs, kernel.Sum() / pairs);
        }

        private static double[][] Columns(PointSet points)
        {
            var columns = new double[points.Dimension][];
            for (int k = 0; k < points.Dimension; k++)
            {
                columns[k] = new double[points.Count];
                for (int j = 0; j < points.Count; j++)
                {
                    columns[k][j] = points.Values[j * points.Dimension + k];
                }
            }

            return columns;
        }
    }
}

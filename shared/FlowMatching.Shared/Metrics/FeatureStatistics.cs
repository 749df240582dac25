using MathNet.Numerics.LinearAlgebra;

namespace FlowMatching.Metrics;

/// <summary>A Gaussian fitted to feature vectors: their mean and (unbiased) covariance.</summary>
public sealed record GaussianFit(Vector<double> Mean, Matrix<double> Covariance)
{
    public static GaussianFit Of(IReadOnlyList<float[]> features)
    {
        int n = features.Count, k = features[0].Length;
        Matrix<double> x = Matrix<double>.Build.Dense(n, k, (i, j) => features[i][j]);
        Vector<double> mean = x.ColumnSums() / n;
        Matrix<double> centred = x - Matrix<double>.Build.Dense(n, k, (_, j) => mean[j]);
        return new GaussianFit(mean, centred.TransposeThisAndMultiply(centred) / (n - 1));
    }
}

/// <summary>
/// Distances between sets of feature vectors, as image generative models are judged: the Fréchet distance
/// between Gaussian fits (FID's statistic), precision and recall on k-nearest-neighbour manifolds
/// (Kynkäänniemi et al. 2019) and a memorisation rate.
/// </summary>
public static class FeatureStatistics
{
    /// <summary>|m1 - m2|^2 + Tr(S1 + S2 - 2 (S1^1/2 S2 S1^1/2)^1/2), with the square roots from eigendecompositions.</summary>
    public static double FrechetDistance(GaussianFit a, GaussianFit b)
    {
        Matrix<double> rootA = SymmetricRoot(a.Covariance);
        Matrix<double> middle = rootA * b.Covariance * rootA;
        double crossTrace = middle.Evd(Symmetricity.Symmetric).EigenValues.Sum(l => Math.Sqrt(Math.Max(l.Real, 0)));
        return (a.Mean - b.Mean).DotProduct(a.Mean - b.Mean) + a.Covariance.Trace() + b.Covariance.Trace() - 2 * crossTrace;
    }

    /// <summary>
    /// Precision: the share of generated points inside the real manifold (within the distance from some real
    /// point to its k-th nearest real neighbour); recall: the share of real points inside the generated one.
    /// </summary>
    public static (double Precision, double Recall) PrecisionRecall(IReadOnlyList<float[]> real, IReadOnlyList<float[]> generated, int k = 3)
    {
        double[] realRadii = KthNeighbourDistances(real, k);
        double[] generatedRadii = KthNeighbourDistances(generated, k);
        return (Covered(generated, real, realRadii), Covered(real, generated, generatedRadii));
    }

    /// <summary>
    /// The share of samples whose nearest training point is closer than <paramref name="factor"/> times the
    /// <paramref name="percentile"/> quantile of the held-out points' nearest-training distances: copies sit
    /// far closer to a training point than unseen data ever does.
    /// </summary>
    public static double MemorisationRate(IReadOnlyList<float[]> samples, IReadOnlyList<float[]> train, IReadOnlyList<float[]> heldOut, double factor = 0.5, double percentile = 0.01)
    {
        double[] heldOutDistances = heldOut.Select(p => Nearest(p, train)).Order().ToArray();
        double threshold = factor * heldOutDistances[(int)Math.Floor(percentile * (heldOutDistances.Length - 1))];
        return samples.Count(s => Nearest(s, train) < threshold) / (double)samples.Count;
    }

    private static Matrix<double> SymmetricRoot(Matrix<double> symmetric)
    {
        var evd = symmetric.Evd(Symmetricity.Symmetric);
        Vector<double> roots = evd.EigenValues.Map(l => Math.Sqrt(Math.Max(l.Real, 0)));
        return evd.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalVector(roots) * evd.EigenVectors.Transpose();
    }

    private static double[] KthNeighbourDistances(IReadOnlyList<float[]> points, int k) =>
        points.AsParallel().AsOrdered().Select((p, i) => points.Where((_, j) => j != i).Select(q => Distance(p, q)).Order().ElementAt(k - 1)).ToArray();

    private static double Covered(IReadOnlyList<float[]> points, IReadOnlyList<float[]> manifold, double[] radii) =>
        points.AsParallel().Count(p => manifold.Where((q, j) => Distance(p, q) <= radii[j]).Any()) / (double)points.Count;

    private static double Nearest(float[] point, IReadOnlyList<float[]> set) => set.Min(q => Distance(point, q));

    private static double Distance(float[] a, float[] b) => System.Numerics.Tensors.TensorPrimitives.Distance(a, b);
}

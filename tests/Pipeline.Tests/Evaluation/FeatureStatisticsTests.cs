using FlowMatching.Metrics;
using FlowMatching.Randomness;
using MathNet.Numerics.LinearAlgebra;

namespace FlowMatching.Tests;

/// <summary>The image-quality statistics on data where their values are known.</summary>
[TestClass]
public sealed class FeatureStatisticsTests
{
    [TestMethod]
    public void FrechetDistanceOfTwoGaussiansMatchesItsClosedForm()
    {
        // Covariances sharing eigenvectors R: S1 = R diag(a) R^T, S2 = R diag(b) R^T commute, so
        // Tr (S1^1/2 S2 S1^1/2)^1/2 = sum sqrt(a_i b_i) and the distance is |dm|^2 + sum (sqrt a_i - sqrt b_i)^2.
        double angle = 0.7;
        Matrix<double> r = Matrix<double>.Build.DenseOfArray(new[,] { { Math.Cos(angle), -Math.Sin(angle), 0 }, { Math.Sin(angle), Math.Cos(angle), 0 }, { 0, 0, 1 } });
        double[] a = [4, 1, 0.25], b = [1, 2, 0.25];
        Matrix<double> Covariance(double[] d) => r * Matrix<double>.Build.DenseOfDiagonalArray(d) * r.Transpose();
        var first = new GaussianFit(Vector<double>.Build.DenseOfArray([1, 0, -1]), Covariance(a));
        var second = new GaussianFit(Vector<double>.Build.DenseOfArray([0, 2, -1]), Covariance(b));
        double expected = 1 + 4 + a.Zip(b, (x, y) => Math.Pow(Math.Sqrt(x) - Math.Sqrt(y), 2)).Sum();
        Assert.AreEqual(expected, FeatureStatistics.FrechetDistance(first, second), 1e-9);
        Assert.AreEqual(0, FeatureStatistics.FrechetDistance(first, first), 1e-9);
    }

    [TestMethod]
    public void GaussianFitIsTheSampleMeanAndUnbiasedCovariance()
    {
        float[][] points = [[1, 2], [3, 0], [2, 4], [6, 2]];
        GaussianFit fit = GaussianFit.Of(points);
        Assert.AreEqual(3.0, fit.Mean[0], 1e-12);
        Assert.AreEqual(2.0, fit.Mean[1], 1e-12);
        // Deviations (-2, 0), (0, -2), (-1, 2), (3, 0): sums of products 14, -2, 8 over n - 1 = 3.
        Assert.AreEqual(14 / 3.0, fit.Covariance[0, 0], 1e-12);
        Assert.AreEqual(-2 / 3.0, fit.Covariance[0, 1], 1e-12);
        Assert.AreEqual(8 / 3.0, fit.Covariance[1, 1], 1e-12);
    }

    [TestMethod]
    public void PrecisionAndRecallCountPointsInsideTheNeighbourBalls()
    {
        // Real points on a line 0, 1, ..., 9: with k = 1 every ball has radius 1. Generated: three inside
        // (0.5, 4.2, 9.9), one outside (20); the generated balls (k = 1) cover real points near them only.
        float[][] real = Enumerable.Range(0, 10).Select(i => new[] { (float)i, 0f }).ToArray();
        float[][] generated = [[0.5f, 0], [4.2f, 0], [9.9f, 0], [20f, 0]];
        (double precision, double recall) = FeatureStatistics.PrecisionRecall(real, generated, k: 1);
        Assert.AreEqual(0.75, precision, 1e-12);
        // Generated radii: 0.5 -> 3.7 (to 4.2), 4.2 -> 3.7, 9.9 -> 5.7 (to 4.2), 20 -> 10.1 (to 9.9):
        // the real points within them are 0..4 (ball at 0.5), 1..7 (ball at 4.2) and 5..9 (ball at 9.9): all ten.
        Assert.AreEqual(1.0, recall, 1e-12);
    }

    [TestMethod]
    public void BruteForceAgreesOnRandomSets()
    {
        var random = new RandomStream(6, 0);
        float[][] Draw(int n, double shift) => Enumerable.Range(0, n).Select(_ => new[] { (float)(random.NextGaussian() + shift), (float)random.NextGaussian(), (float)random.NextGaussian() }).ToArray();
        float[][] real = Draw(60, 0), generated = Draw(50, 0.8);
        double Distance(float[] p, float[] q) => Math.Sqrt(p.Zip(q, (x, y) => (double)(x - y) * (x - y)).Sum());
        double Radius(float[][] set, int i) => set.Where((_, j) => j != i).Select(q => Distance(set[i], q)).OrderBy(d => d).ElementAt(2);
        double precision = generated.Count(g => real.Select((q, j) => Distance(g, q) <= Radius(real, j)).Any(x => x)) / 50.0;
        double recall = real.Count(q => generated.Select((g, j) => Distance(q, g) <= Radius(generated, j)).Any(x => x)) / 60.0;
        (double p, double r) = FeatureStatistics.PrecisionRecall(real, generated, k: 3);
        Assert.AreEqual(precision, p, 1e-12);
        Assert.AreEqual(recall, r, 1e-12);
        Assert.IsTrue(p < 1 && r < 1, "a shifted set is not entirely covered");
    }

    [TestMethod]
    public void MemorisationCountsNearCopiesOnly()
    {
        var random = new RandomStream(7, 0);
        float[][] Draw(int n) => Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 8).Select(_ => (float)random.NextGaussian()).ToArray()).ToArray();
        float[][] train = Draw(300), heldOut = Draw(200), fresh = Draw(100);
        Assert.AreEqual(0, FeatureStatistics.MemorisationRate(fresh, train, heldOut), 1e-12, "new draws of the same law are no copies");
        float[][] copies = [.. fresh[..90], .. train[..10].Select(p => p.Select(v => v + 1e-3f).ToArray())];
        Assert.AreEqual(0.10, FeatureStatistics.MemorisationRate(copies, train, heldOut), 1e-12);
    }
}

using FlowMatching.Interpolants;
using FlowMatching.Runtime.Integrators;
using FlowMatching.Runtime.Options;

namespace FlowMatching.Tests;

[TestClass]
public sealed class EulerMaruyamaTests
{
    private static SdeSolver Solver(double eps, int steps, long seed, double tEnd = SdeSolver.TutorialEnd) =>
        new(new EulerMaruyamaStep(), new SdeCoefficients(new LinearInterpolant(), eps, DiffusionSchedule.Alpha), steps, seed, tEnd);

    [TestMethod]
    public void EveryStepFollowsTheTutorialsDriftWithStandardNormalNoise()
    {
        // With b = c constant and the linear interpolant, alpha s = (t c - x) / 1, so with eps_t = eps alpha_t
        // each step is x' = x + (c + eps (t c - x)) dt + sqrt(2 eps (1 - t) dt) xi. The xi recovered from the
        // path must be independent standard normal draws: mean 0, variance 1, no correlation between steps
        // or coordinates. A wrong drift shows as a non-zero mean, wrong noise scaling as a variance off 1.
        const double eps = 2.0, c0 = 1.0, c1 = 3.0;
        const int n = 3000, steps = 6;
        float[] x = new float[2 * n];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(0.5 * Math.Sin(i));
        }

        var paths = new List<float[]> { (float[])x.Clone() };
        Solver(eps, steps, seed: 9).Integrate(new ConstantField((float)c0, (float)c1), x, firstSampleIndex: 7, observer: (_, _, points) => paths.Add(points.ToArray()));
        Assert.AreEqual(steps + 1, paths.Count);
        double dt = SdeSolver.TutorialEnd / steps;
        var xi = new double[steps, 2 * n];
        for (int k = 0; k < steps; k++)
        {
            double t = k * dt;
            for (int i = 0; i < 2 * n; i++)
            {
                double c = i % 2 == 0 ? c0 : c1;
                double before = paths[k][i];
                double drift = c + eps * (t * c - before);
                xi[k, i] = (paths[k + 1][i] - before - drift * dt) / Math.Sqrt(2 * eps * (1 - t) * dt);
            }
        }

        double standardError = 1 / Math.Sqrt(2.0 * n);
        for (int k = 0; k < steps; k++)
        {
            double[] draws = Enumerable.Range(0, 2 * n).Select(i => xi[k, i]).ToArray();
            double mean = draws.Average();
            double variance = draws.Select(v => (v - mean) * (v - mean)).Average();
            Assert.AreEqual(0, mean, 4 * standardError, $"step {k}: mean of the recovered noise");
            Assert.AreEqual(1, variance, 4 * Math.Sqrt(2) * standardError, $"step {k}: variance of the recovered noise");
            if (k > 0)
            {
                double lag = Enumerable.Range(0, 2 * n).Average(i => xi[k, i] * xi[k - 1, i]);
                Assert.AreEqual(0, lag, 4 * standardError, $"steps {k - 1} and {k} share noise");
            }
        }

        double across = Enumerable.Range(0, n).Average(i => xi[0, 2 * i] * xi[0, 2 * i + 1]);
        Assert.AreEqual(0, across, 4 / Math.Sqrt(n), "the two coordinates share noise");
    }

    [TestMethod]
    public void NoiseBelongsToTheSampleIndexNotToItsPlaceInTheBatch()
    {
        // Sample 12 integrated alone, or as the third row of a batch starting at sample 10, takes the same path.
        float[] alone = [0.3f, -0.2f];
        Solver(2.0, 5, seed: 3).Integrate(new OscillatingLinearField(2), alone, firstSampleIndex: 12);
        float[] batch = [1f, 1f, -1f, 0.5f, 0.3f, -0.2f, 2f, 2f];
        Solver(2.0, 5, seed: 3).Integrate(new OscillatingLinearField(2), batch, firstSampleIndex: 10);
        CollectionAssert.AreEqual(alone, batch[4..6]);
        float[] shifted = [0.3f, -0.2f];
        Solver(2.0, 5, seed: 3).Integrate(new OscillatingLinearField(2), shifted, firstSampleIndex: 13);
        CollectionAssert.AreNotEqual(alone, shifted);
    }

    [TestMethod]
    public void DriftUsesTheAlphaScoreAwayFromZero()
    {
        // With eps = 0 the scheme is pure Euler on b: the score term and the noise vanish.
        float[] x = [1f];
        Solver(0, steps: 2, seed: 1, tEnd: 1.0).Integrate(new ConstantField(2f), x, 0);
        Assert.AreEqual(3f, x[0], 1e-6f);

        // With eps > 0, one step from t = 0 (alpha = 1, beta = 0) with b = 0: alpha s = -x, so
        // E[x'] = x (1 - eps dt) and Var[x'] = 2 eps alpha dt, checked over many samples.
        const int n = 200000;
        float[] many = Enumerable.Repeat(1f, n).ToArray();
        Solver(0.5, steps: 1, seed: 4, tEnd: 0.1).Integrate(new ConstantField(0f), many, 0);
        double mean = many.Average();
        Assert.AreEqual(1 - 0.5 * 0.1, mean, 0.002);
        double variance = many.Select(v => (v - mean) * (v - mean)).Average();
        Assert.AreEqual(2 * 0.5 * 1.0 * 0.1, variance, 0.003);
    }

    [TestMethod]
    public void SameSeedSameSamplesOtherSeedOtherSamples()
    {
        float[] Run(long seed)
        {
            float[] x = [0.1f, 0.2f, 0.3f, 0.4f];
            Solver(2.0, 80, seed).Integrate(new OscillatingLinearField(2), x, 0);
            return x;
        }

        CollectionAssert.AreEqual(Run(5), Run(5));
        CollectionAssert.AreNotEqual(Run(5), Run(6));
    }

    [TestMethod]
    public void WithoutDiffusionItIsEulerOnTheSameGrid()
    {
        float[] sde = [1f, 2f];
        float[] ode = [1f, 2f];
        Solver(0, 80, 1).Integrate(new OscillatingLinearField(2), sde, 0);
        new FixedStepOdeSolver(new EulerStep(), 80).Solve(new OscillatingLinearField(2), ode, 0, SdeSolver.TutorialEnd);
        CollectionAssert.AreEqual(ode, sde, new Tolerance(1e-6f));
    }
}

using FlowMatching.Interpolants;
using FlowMatching.Randomness;
using FlowMatching.Runtime.Integrators;

namespace FlowMatching.Tests;

[TestClass]
public sealed class EulerMaruyamaTests
{
    private static SdeSolver Solver(double eps, int steps, long seed, double tEnd = SdeSolver.TutorialEnd) =>
        new(new EulerMaruyamaStep(), new SdeCoefficients(new LinearInterpolant(), eps, constantDiffusion: false), steps, seed, tEnd);

    [TestMethod]
    public void OneStepFollowsTheTutorialsDriftAndNoise()
    {
        // At t = 0 for the linear interpolant alpha s = -x, so the step is
        // x + (c + eps (-x)) dt + sqrt(2 eps alpha dt) xi.
        const double eps = 2.0;
        const long seed = 9;
        float[] x = [0.5f, -1.5f, 2f, 1f];
        float[] start = [.. x];
        Solver(eps, steps: 1, seed).Solve(new ConstantField(1f, 3f), x, firstSampleIndex: 7);
        double dt = 0.99;
        for (int i = 0; i < 2; i++)
        {
            ulong key = CounterRandom.Key(seed, Streams.ForSample(Streams.SdeNoise, 7 + i));
            for (int j = 0; j < 2; j++)
            {
                double c = j == 0 ? 1 : 3;
                double expected = start[2 * i + j] + (c - eps * start[2 * i + j]) * dt + Math.Sqrt(2 * eps * dt) * CounterRandom.Gaussian(key, (ulong)j);
                Assert.AreEqual(expected, x[2 * i + j], 1e-5);
            }
        }
    }

    [TestMethod]
    public void DriftUsesTheAlphaScoreAwayFromZero()
    {
        // With eps = 0 the scheme is pure Euler on b: the score term and the noise vanish.
        float[] x = [1f];
        Solver(0, steps: 2, seed: 1, tEnd: 1.0).Solve(new ConstantField(2f), x, 0);
        Assert.AreEqual(3f, x[0], 1e-6f);

        // With eps > 0, one step from t = 0 (alpha = 1, beta = 0) with b = 0: alpha s = -x, so
        // E[x'] = x (1 - eps dt) and Var[x'] = 2 eps alpha dt, checked over many samples.
        const int n = 200000;
        float[] many = Enumerable.Repeat(1f, n).ToArray();
        Solver(0.5, steps: 1, seed: 4, tEnd: 0.1).Solve(new ConstantField(0f), many, 0);
        Assert.AreEqual(1 - 0.5 * 0.1, many.Average(), 0.002);
        double variance = many.Select(v => (v - many.Average()) * (v - many.Average())).Average();
        Assert.AreEqual(2 * 0.5 * 1.0 * 0.1, variance, 0.003);
    }

    [TestMethod]
    public void SameSeedSameSamplesOtherSeedOtherSamples()
    {
        float[] Run(long seed)
        {
            float[] x = [0.1f, 0.2f, 0.3f, 0.4f];
            Solver(2.0, 80, seed).Solve(new OscillatingLinearField(2), x, 0);
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
        Solver(0, 80, 1).Solve(new OscillatingLinearField(2), sde, 0);
        new FixedStepOdeSolver(new EulerStep(), 80).Solve(new OscillatingLinearField(2), ode, 0, SdeSolver.TutorialEnd);
        CollectionAssert.AreEqual(ode, sde, new Tolerance(1e-6f));
    }
}

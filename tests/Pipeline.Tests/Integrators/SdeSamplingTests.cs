using FlowMatching.Distributions;
using FlowMatching.Interpolants;
using FlowMatching.Io;
using FlowMatching.Metrics;
using FlowMatching.Runtime.Integrators;
using FlowMatching.Runtime.Options;
using FlowMatching.Velocity;

namespace FlowMatching.Tests;

[TestClass]
public sealed class SdeSamplingTests
{
    [TestMethod]
    [DataRow("em", false, false)]
    [DataRow("heun", false, false)]
    [DataRow("em", true, false)]
    [DataRow("heun", false, true)]
    public void SdeOnTheExactFieldMatchesTheTargetsMeanAndCovariance(string method, bool constantDiffusion, bool denoise)
    {
        // gmm8 has mean 0 and covariance (12.5 + 0.49) I; 4000 samples estimate the mean within
        // about 0.06 and a variance within about 2.5% (one standard error).
        const int n = 4000;
        var interpolant = new LinearInterpolant();
        var field = new GaussianMixtureVelocityField(GaussianMixture.Ring8(), interpolant);
        var x = new float[2 * n];
        var normal = new StandardNormal(2);
        for (int i = 0; i < n; i++)
        {
            normal.SampleIndexed(8, i, x.AsSpan(2 * i, 2));
        }

        var solver = new SdeSolver(Rules.Sde(method), new SdeCoefficients(interpolant, constantDiffusion ? 0.5 : 2.0, constantDiffusion ? DiffusionSchedule.Constant : DiffusionSchedule.Alpha), 100, seed: 8, denoise: denoise);
        int evaluations = solver.Integrate(field, x, 0);
        Assert.AreEqual(100 * Rules.Sde(method).Evaluations + (denoise ? 1 : 0), evaluations);

        double meanX = 0, meanY = 0;
        for (int i = 0; i < n; i++)
        {
            meanX += x[2 * i] / (double)n;
            meanY += x[2 * i + 1] / (double)n;
        }

        double varX = 0, varY = 0, cov = 0;
        for (int i = 0; i < n; i++)
        {
            varX += (x[2 * i] - meanX) * (x[2 * i] - meanX) / n;
            varY += (x[2 * i + 1] - meanY) * (x[2 * i + 1] - meanY) / n;
            cov += (x[2 * i] - meanX) * (x[2 * i + 1] - meanY) / n;
        }

        Assert.AreEqual(0, meanX, 0.25);
        Assert.AreEqual(0, meanY, 0.25);
        Assert.AreEqual(12.99, varX, 12.99 * 0.1);
        Assert.AreEqual(12.99, varY, 12.99 * 0.1);
        Assert.AreEqual(0, cov, 1.0);

        // Matching moments is not enough (an isotropic Gaussian of that covariance would): the samples must
        // sit on the eight modes, about 1/8 each (binomial standard error 0.5% at n = 4000).
        ModeCoverage modes = ModeCoverage.Measure(GaussianMixture.Ring8(), new PointSet(x, 2));
        Assert.IsTrue(modes.OffMode < 0.03, $"{method}: {modes.OffMode:P1} off the modes");
        Assert.IsTrue(modes.Smallest > 0.10 && modes.Largest < 0.15, $"{method}: mode shares {string.Join(", ", modes.Fractions.Select(f => f.ToString("P1")))}");
    }

    [TestMethod]
    public void ConstantDiffusionDividesTheAlphaScoreByAlpha()
    {
        IInterpolant interpolant = new TrigonometricInterpolant();
        var alpha = new SdeCoefficients(interpolant, 2.0, DiffusionSchedule.Alpha);
        var constant = new SdeCoefficients(interpolant, 2.0, DiffusionSchedule.Constant);
        double t = 0.4, b = 1.3, x = -0.7;
        double alphaScore = interpolant.AlphaScore(t, b, x);
        Assert.AreEqual(b + 2.0 * alphaScore, alpha.Drift(t, b, x), 1e-12);
        Assert.AreEqual(b + 2.0 * alphaScore / interpolant.Alpha(t), constant.Drift(t, b, x), 1e-12);
        Assert.AreEqual(2.0 * interpolant.Alpha(t), alpha.Diffusion(t), 1e-12);
        Assert.AreEqual(2.0, constant.Diffusion(t), 1e-12);
    }
}

using FlowMatching.Interpolants;

namespace FlowMatching.Tests;

[TestClass]
public sealed class InterpolantTests
{
    [TestMethod]
    public void LinearInterpolantMatchesHandComputedValues()
    {
        IInterpolant linear = new LinearInterpolant();
        // I_0.3 = 0.7 * 2 + 0.3 * (-1) = 1.1 ; dI/dt = -2 + (-1) = -3
        Assert.AreEqual(1.1, linear.Value(0.3, 2.0, -1.0), 1e-12);
        Assert.AreEqual(-3.0, linear.TimeDerivative(0.3, 2.0, -1.0), 1e-12);
        Assert.AreEqual(2.0, linear.Value(0.0, 2.0, -1.0), 1e-12);
        Assert.AreEqual(-1.0, linear.Value(1.0, 2.0, -1.0), 1e-12);
    }

    [TestMethod]
    public void TrigonometricInterpolantMatchesHandComputedValues()
    {
        IInterpolant trig = new TrigonometricInterpolant();
        double t = 1.0 / 3.0; // pi t / 2 = pi / 6: cos = sqrt(3)/2, sin = 1/2
        Assert.AreEqual(Math.Sqrt(3) / 2, trig.Alpha(t), 1e-12);
        Assert.AreEqual(0.5, trig.Beta(t), 1e-12);
        Assert.AreEqual(-Math.PI / 4, trig.AlphaDot(t), 1e-12);
        Assert.AreEqual(Math.PI / 2 * Math.Sqrt(3) / 2, trig.BetaDot(t), 1e-12);
        Assert.AreEqual(Math.Sqrt(3) / 2 * 4 + 0.5 * 2, trig.Value(t, 4, 2), 1e-12);
    }

    [TestMethod]
    [DataRow(InterpolantKind.Linear)]
    [DataRow(InterpolantKind.Trigonometric)]
    public void DerivativesMatchFiniteDifferences(InterpolantKind kind)
    {
        IInterpolant interpolant = kind.Create();
        const double h = 1e-6;
        foreach (double t in new[] { 0.1, 0.5, 0.9 })
        {
            Assert.AreEqual((interpolant.Alpha(t + h) - interpolant.Alpha(t - h)) / (2 * h), interpolant.AlphaDot(t), 1e-7);
            Assert.AreEqual((interpolant.Beta(t + h) - interpolant.Beta(t - h)) / (2 * h), interpolant.BetaDot(t), 1e-7);
        }

        Assert.AreEqual(1.0, interpolant.Alpha(0), 1e-12);
        Assert.AreEqual(0.0, interpolant.Beta(0), 1e-12);
        Assert.AreEqual(0.0, interpolant.Alpha(1), 1e-12);
        Assert.AreEqual(1.0, interpolant.Beta(1), 1e-12);
    }

    [TestMethod]
    public void AlphaScoreOfLinearInterpolantIsFiniteAtTheEnd()
    {
        IInterpolant linear = new LinearInterpolant();
        // alpha s = (beta b - beta' x) / (alpha beta' - alpha' beta) = (t b - x) / 1
        Assert.AreEqual(0.4 * 3.0 - 2.0, linear.AlphaScore(0.4, 3.0, 2.0), 1e-12);
        Assert.AreEqual(3.0 - 2.0, linear.AlphaScore(1.0, 3.0, 2.0), 1e-12);
    }

    [TestMethod]
    public void AlphaScoreIsTheScoreOfTheGaussianInterpolantTimesAlpha()
    {
        // x1 = 0 (a point mass): rho_t = N(0, alpha^2), score = -x / alpha^2, and b = alpha' x / alpha.
        IInterpolant trig = new TrigonometricInterpolant();
        double t = 0.3, x = 1.7;
        double velocity = trig.AlphaDot(t) * x / trig.Alpha(t);
        Assert.AreEqual(-x / trig.Alpha(t), trig.AlphaScore(t, velocity, x), 1e-12);
    }
}

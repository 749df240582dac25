using FlowMatching.Distributions;
using FlowMatching.Interpolants;
using FlowMatching.Io;
using FlowMatching.Metrics;
using FlowMatching.Randomness;
using FlowMatching.Velocity;

namespace FlowMatching.Tests;

[TestClass]
public sealed class ExactVelocityTests
{
    [TestMethod]
    public void AtTimeZeroTheLinearFieldIsTargetMeanMinusX()
    {
        var field = new GaussianMixtureVelocityField(GaussianMixture.Ring8(), new LinearInterpolant());
        float[] x = [0.3f, -1.2f];
        float[] v = new float[2];
        field.Evaluate(0, x, v);
        // E[x1 - x0 | x0 = x] = E[x1] - x and the ring's mean is 0.
        Assert.AreEqual(-0.3, v[0], 1e-5);
        Assert.AreEqual(1.2, v[1], 1e-5);
    }

    [TestMethod]
    [DataRow(InterpolantKind.Linear, 0.5)]
    [DataRow(InterpolantKind.Linear, 0.9)]
    [DataRow(InterpolantKind.Trigonometric, 0.3)]
    public void FieldIsTheConditionalExpectationOfTheInterpolantVelocity(InterpolantKind kind, double t)
    {
        // b = E[dI/dt | I_t] satisfies E[|b(I_t)|^2] = E[b(I_t) . dI/dt] (an orthogonal projection), which
        // any other field fails; checked by Monte Carlo over 200000 draws.
        IInterpolant interpolant = kind.Create();
        GaussianMixture target = GaussianMixture.Ring8();
        var field = new GaussianMixtureVelocityField(target, interpolant);
        const int n = 200000;
        var x0 = new float[2 * n];
        var x1 = new float[2 * n];
        new StandardNormal(2).Sample(new RandomStream(1, 1), x0);
        target.Sample(new RandomStream(1, 2), x1);
        var xt = new float[2 * n];
        var dxt = new float[2 * n];
        for (int i = 0; i < xt.Length; i++)
        {
            xt[i] = (float)interpolant.Value(t, x0[i], x1[i]);
            dxt[i] = (float)interpolant.TimeDerivative(t, x0[i], x1[i]);
        }

        var b = new float[2 * n];
        field.Evaluate(t, xt, b);
        double squared = 0, projected = 0;
        for (int i = 0; i < b.Length; i++)
        {
            squared += b[i] * b[i];
            projected += b[i] * dxt[i];
        }

        Assert.AreEqual(squared / n, projected / n, 0.01 * squared / n);
    }

    [TestMethod]
    [DataRow(0.0)]
    [DataRow(0.3)]
    [DataRow(0.7)]
    [DataRow(0.95)]
    public void LinearFieldMatchesTheGaussianPosteriorWrittenOut(double t)
    {
        // Derived here, not from the implementation: given component k (mean m_k, std s), x_t = (1 - t) x0 + t x1
        // is N(t m_k, v I) with v = (1 - t)^2 + t^2 s^2, and E[x1 | x_t, k] = m_k + t s^2 (x_t - t m_k) / v.
        // With posterior weights w_k over the equal-weight components, b = (E[x1 | x_t] - x_t) / (1 - t).
        var field = new GaussianMixtureVelocityField(GaussianMixture.Ring8(), new LinearInterpolant());
        const double s = 0.7;
        double v = (1 - t) * (1 - t) + t * t * s * s;
        double[][] means = Enumerable.Range(0, 8).Select(i => new[] { 5 * Math.Sin(i * Math.PI / 4), 5 * Math.Cos(i * Math.PI / 4) }).ToArray();
        foreach (float[] x in new[] { new[] { 0.4f, -0.3f }, new[] { 3f, 2.5f }, new[] { -4f, 1f } })
        {
            double[] logWeights = means.Select(m => -(Math.Pow(x[0] - t * m[0], 2) + Math.Pow(x[1] - t * m[1], 2)) / (2 * v)).ToArray();
            double top = logWeights.Max();
            double[] weights = logWeights.Select(l => Math.Exp(l - top)).ToArray();
            double total = weights.Sum();
            var expected = new double[2];
            for (int j = 0; j < 2; j++)
            {
                double meanX1 = Enumerable.Range(0, 8).Sum(k => weights[k] / total * (means[k][j] + t * s * s * (x[j] - t * means[k][j]) / v));
                expected[j] = (meanX1 - x[j]) / (1 - t);
            }

            var velocity = new float[2];
            field.Evaluate(t, x, velocity);
            Assert.AreEqual(expected[0], velocity[0], 1e-4 * Math.Max(1, Math.Abs(expected[0])), $"t = {t}, x = ({x[0]}, {x[1]})");
            Assert.AreEqual(expected[1], velocity[1], 1e-4 * Math.Max(1, Math.Abs(expected[1])), $"t = {t}, x = ({x[0]}, {x[1]})");
        }
    }

    [TestMethod]
    public void ManyEulerStepsOnTheExactFieldReproduceTheTarget()
    {
        using var files = new TestFiles();
        var (code, error) = CommandLine.Runtime("sample", "--model", "exact:gmm8", "--steps", "400", "--n", "6000", "--seed", "3", "--out", files["exact.csv"]);
        Assert.AreEqual(0, code, error);
        PointSet samples = PointCsv.Read(files["exact.csv"], 2);
        SampleEvaluation evaluation = SampleEvaluation.Measure(GaussianMixture.Ring8(), samples, seed: 17, maxPoints: 6000);
        Assert.IsTrue(evaluation.EnergyRatio < 2.0, $"energy {evaluation.Energy} is {evaluation.EnergyRatio:F2}x the floor {evaluation.EnergyFloor}");
        Assert.IsTrue(evaluation.Modes!.Smallest >= 0.11 && evaluation.Modes.Largest <= 0.14, string.Join(", ", evaluation.Modes.Fractions));
        Assert.IsTrue(evaluation.Modes.OffMode < 0.02, $"off-mode {evaluation.Modes.OffMode}");
    }
}

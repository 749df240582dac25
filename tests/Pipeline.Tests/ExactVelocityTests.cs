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
    [DataRow("linear", 0.5)]
    [DataRow("linear", 0.9)]
    [DataRow("trig", 0.3)]
    public void FieldIsTheConditionalExpectationOfTheInterpolantVelocity(string name, double t)
    {
        // b = E[dI/dt | I_t] satisfies E[|b(I_t)|^2] = E[b(I_t) . dI/dt] (an orthogonal projection), which
        // any other field fails; checked by Monte Carlo over 200000 draws.
        IInterpolant interpolant = InterpolantCatalog.Parse(name);
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
        double squared = 0, projected = 0, shifted = 0;
        for (int i = 0; i < b.Length; i++)
        {
            squared += b[i] * b[i];
            projected += b[i] * dxt[i];
            shifted += (1.1 * b[i]) * (1.1 * b[i]) - 2 * (1.1 * b[i]) * dxt[i];
        }

        Assert.AreEqual(squared / n, projected / n, 0.01 * squared / n);
        Assert.IsTrue(shifted / n > (squared - 2 * projected) / n, "a scaled field must have a larger loss");
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

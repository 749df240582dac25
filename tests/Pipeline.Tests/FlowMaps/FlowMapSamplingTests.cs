using FlowMatching.Contract;
using FlowMatching.Distributions;
using FlowMatching.Interpolants;
using FlowMatching.Runtime;
using FlowMatching.Runtime.Models;
using FlowMatching.Runtime.Options;
using FlowMatching.Velocity;

namespace FlowMatching.Tests;

[TestClass]
public sealed class FlowMapSamplingTests
{
    private static OdeSamplingOptions Steps(OdeMethod? method, int steps, int? chunk = null) =>
        new() { Solver = new() { Method = method, Steps = steps }, Chunk = chunk, UseRecommendation = false };

    [TestMethod]
    [DataRow(1)]
    [DataRow(2)]
    [DataRow(4)]
    public void StepsOfTheTrueAverageVelocityLandOnTheExactFlowsEndPoints(int steps)
    {
        var mixture = GaussianMixture.Ring8();
        var field = new GaussianMixtureVelocityField(mixture, new LinearInterpolant());
        using var map = new FlowMapModel(new ExactAverageVelocity(field), [2], "exact flow map of gmm8");
        using VelocityModel exact = VelocityModel.Load("exact:gmm8");

        float[] mapped = map.Sample(64, Steps(null, steps), seed: 5);
        float[] flow = exact.Sample(64, Steps(OdeMethod.RungeKutta4, 800), seed: 5);
        float[] euler = exact.Sample(64, Steps(OdeMethod.Euler, steps), seed: 5);

        double worst = mapped.Zip(flow, (a, b) => (double)Math.Abs(a - b)).Max();
        Assert.IsTrue(worst < 2e-3, $"{steps} flow-map steps end {worst} from the exact flow's end points");
        // The same number of Euler steps of the velocity does not: the check can fail.
        Assert.IsTrue(euler.Zip(flow, (a, b) => (double)Math.Abs(a - b)).Max() > 0.1, "Euler steps of the velocity land as close");
    }

    [TestMethod]
    public void FlowMapSamplesAreTheSameBytesWhateverTheChunkingAndThreads()
    {
        using var files = new TestFiles();
        string path = FlowMapModels.RandomPointMap(files["map.onnx"]);
        float[] Sample(int chunk, int threads)
        {
            using FlowModel model = FlowModel.Load(path, new ModelLoadOptions { Threads = threads });
            Assert.IsInstanceOfType<FlowMapModel>(model);
            return model.Sample(50, Steps(null, 2, chunk), seed: 9);
        }

        float[] reference = Sample(1000, 1);
        CollectionAssert.AreEqual(reference, Sample(7, 1));
        CollectionAssert.AreEqual(reference, Sample(7, 2));

        // Samples 20..49 drawn on their own are the same rows.
        using FlowModel again = FlowModel.Load(path);
        CollectionAssert.AreEqual(reference[40..], again.Sample(30, Steps(null, 2), seed: 9, offset: 20));
    }

    [TestMethod]
    public void GuidedClassSamplesOfAnImageMapAreTheSameBytesWhateverTheChunking()
    {
        using var files = new TestFiles();
        string path = FlowMapModels.RandomImageMap(files["images.onnx"]);
        float[] Sample(int chunk)
        {
            using FlowModel model = FlowModel.Load(path);
            var options = Steps(null, 2, chunk) with { Conditioning = new Conditioning(ClassSelection.All, 2.0) };
            return model.Sample(12, options, seed: 4);
        }

        float[] reference = Sample(100);
        CollectionAssert.AreEqual(reference, Sample(5));
        using FlowModel unguided = FlowModel.Load(path);
        CollectionAssert.AreNotEqual(reference, unguided.Sample(12, Steps(null, 2) with { Conditioning = new Conditioning(ClassSelection.All, 1.0) }, seed: 4), "guidance must change the samples");
    }

    [TestMethod]
    public void AFlowMapRefusesOtherMethodsAndAutoguidance()
    {
        using var files = new TestFiles();
        using FlowModel model = FlowModel.Load(FlowMapModels.RandomPointMap(files["map.onnx"]));
        var heun = Assert.ThrowsExactly<Errors.InvalidSettingException>(() => model.Sample(4, Steps(OdeMethod.Heun, 2)));
        StringAssert.Contains(heun.Message, "flow map");
        Assert.ThrowsExactly<Errors.InvalidSettingException>(() => model.Sample(4, new SdeSamplingOptions()));
        Assert.AreEqual(2, FlowModel.ReadContract(files["map.onnx"])!.Recommended!.Steps);
    }

    /// <summary>u(x, t, h) = (phi_{t, t+h}(x) - x) / h, the flow integrated by 400 Runge-Kutta 4 steps per unit of time; h = 0: the velocity.</summary>
    private sealed class ExactAverageVelocity(IVelocityField velocity) : IFlowMapField
    {
        public int Dimension => velocity.Dimension;

        public int Classes => 0;

        public void Evaluate(double t, double h, ReadOnlySpan<float> points, ReadOnlySpan<long> classes, Span<float> average)
        {
            if (h == 0)
            {
                velocity.Evaluate(t, points, average);
                return;
            }

            double[] x = [.. points.ToArray().Select(v => (double)v)];
            int substeps = Math.Max(1, (int)Math.Ceiling(400 * h));
            double dt = h / substeps;
            for (int k = 0; k < substeps; k++)
            {
                double s = t + k * dt;
                double[] k1 = At(s, x), k2 = At(s + dt / 2, Add(x, k1, dt / 2)), k3 = At(s + dt / 2, Add(x, k2, dt / 2)), k4 = At(s + dt, Add(x, k3, dt));
                for (int i = 0; i < x.Length; i++)
                {
                    x[i] += dt / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
                }
            }

            for (int i = 0; i < x.Length; i++)
            {
                average[i] = (float)((x[i] - points[i]) / h);
            }
        }

        private double[] At(double t, double[] x)
        {
            var v = new float[x.Length];
            velocity.Evaluate(t, [.. x.Select(value => (float)value)], v);
            return [.. v.Select(value => (double)value)];
        }

        private static double[] Add(double[] x, double[] v, double scale) => [.. x.Select((value, i) => value + scale * v[i])];
    }
}

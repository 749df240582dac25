using FlowMatching.Runtime;
using FlowMatching.Runtime.Models;
using FlowMatching.Runtime.Options;

namespace FlowMatching.Tests;

/// <summary>int8 models: the quantized field stays close to the float one and samples the same ring.</summary>
[TestClass]
public sealed class QuantizationTests
{
    [TestMethod]
    public void Int8FieldStaysNearTheFloatFieldAndSamplesTheSameModes()
    {
        using var files = new TestFiles();
        string shipped = RepositoryFiles.Path("models", "gmm8.onnx");
        var (code, error) = CommandLine.Trainer("quantize", "--model", shipped, "--out", files["q.onnx"]);
        Assert.AreEqual(0, code, error);
        Assert.IsTrue(new FileInfo(files["q.onnx"]).Length < new FileInfo(shipped).Length / 3, "int8 weights take a quarter of the bytes");
        var cpu = new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu };
        using FlowModel exact = FlowModel.Load(shipped, cpu);
        using FlowModel quantized = FlowModel.Load(files["q.onnx"], cpu);
        var random = new Randomness.RandomStream(8, 1);
        float[] x = Enumerable.Range(0, 2 * 2000).Select(_ => (float)(3 * random.NextGaussian())).ToArray();
        // A numpy simulation of this scheme on these weights gives 3.0%, 1.2% and 1.1% relative RMS error at
        // t = 0.1, 0.5, 0.9; one scale per batch gave 18%, 4% and 7%; a wrong weight layout is far worse.
        foreach ((double t, double bound) in new[] { (0.1, 0.05), (0.5, 0.025), (0.9, 0.025) })
        {
            var a = new float[x.Length];
            var b = new float[x.Length];
            exact.Field.Evaluate(t, x, a);
            quantized.Field.Evaluate(t, x, b);
            double error2 = a.Zip(b, (p, q) => (double)(p - q) * (p - q)).Sum(), norm2 = a.Sum(p => (double)p * p);
            Console.WriteLine($"int8 field error at t = {t}: {Math.Sqrt(error2 / norm2):P2}");
            Assert.IsTrue(Math.Sqrt(error2 / norm2) < bound, $"t = {t}: relative RMS error {Math.Sqrt(error2 / norm2):P2}");
        }

        // Each point is quantized on its own: how the points are chunked changes nothing.
        CollectionAssert.AreEqual(quantized.Sample(300, new OdeSamplingOptions { Chunk = 300 }), quantized.Sample(300, new OdeSamplingOptions { Chunk = 7 }));
        float[] samples = quantized.Sample(4000, new OdeSamplingOptions());
        var modes = Metrics.ModeCoverage.Measure(Distributions.GaussianMixture.Ring8(), new Io.PointSet(samples, 2));
        Assert.IsTrue(modes.OffMode < 0.02 && modes.Smallest > 0.10, $"off-mode {modes.OffMode:P1}, smallest mode {modes.Smallest:P1}");

        (code, error) = CommandLine.Trainer("quantize", "--model", files["q.onnx"], "--out", files["qq.onnx"]);
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, "already quantized");
    }

    [TestMethod]
    public void Int8UNetConvolutionsStayNearTheFloatFieldWhateverTheBatch()
    {
        using var files = new TestFiles();
        string shipped = RepositoryFiles.Path("models", "fashion-mnist.onnx");
        var (code, error) = CommandLine.Trainer("quantize", "--model", shipped, "--out", files["q.onnx"]);
        Assert.AreEqual(0, code, error);
        Assert.IsTrue(new FileInfo(files["q.onnx"]).Length < new FileInfo(shipped).Length / 3, "int8 kernels take a quarter of the bytes");
        var cpu = new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu };
        using FlowModel exact = FlowModel.Load(shipped, cpu);
        using FlowModel quantized = FlowModel.Load(files["q.onnx"], cpu);
        IClassConditionalField Field(FlowModel model) => ImageModelTests.ConditionalField(model);
        const int n = 8;
        var random = new Randomness.RandomStream(5, 1);
        float[] x = Enumerable.Range(0, n * 784).Select(_ => (float)random.NextGaussian()).ToArray();
        long[] classes = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        foreach ((double t, double bound) in new[] { (0.1, 0.06), (0.5, 0.06), (0.9, 0.06) })
        {
            var a = new float[x.Length];
            var b = new float[x.Length];
            Field(exact).Evaluate(t, x, classes, a);
            Field(quantized).Evaluate(t, x, classes, b);
            double error2 = a.Zip(b, (p, q) => (double)(p - q) * (p - q)).Sum(), norm2 = a.Sum(p => (double)p * p);
            Console.WriteLine($"int8 U-Net field error at t = {t}: {Math.Sqrt(error2 / norm2):P2}");
            Assert.IsTrue(Math.Sqrt(error2 / norm2) < bound, $"t = {t}: relative RMS error {Math.Sqrt(error2 / norm2):P2}");

            // Each image is quantized on its own: the first two alone give the same bytes as in the batch of eight.
            var pair = new float[2 * 784];
            Field(quantized).Evaluate(t, x.AsSpan(0, 2 * 784), classes.AsSpan(0, 2), pair);
            CollectionAssert.AreEqual(b[..(2 * 784)], pair);
        }
    }
}

using FlowMatching.Io;
using FlowMatching.Runtime;
using FlowMatching.Runtime.Models;
using FlowMatching.Runtime.Options;

namespace FlowMatching.Tests;

/// <summary>int8 models: the quantized field stays close to the float one and samples the same ring.</summary>
[TestClass]
public sealed class QuantizationTests
{
    // Measured relative RMS errors, per-point steps: gmm8 (SiLU) 2.5%, 0.88%, 0.54% at t = 0.1, 0.5, 0.9 (the
    // previous scheme, each row's range scaled into [-0.3, 1], read 3.9%, 1.6%, 1.4%); checkerboard (ReLU) 0.72%,
    // 0.73%, 0.63%. A wrong shift correction or weight layout is far worse.
    [TestMethod]
    [DataRow("gmm8.onnx", 0.035, 0.0125, 0.008)]
    [DataRow("checkerboard.onnx", 0.011, 0.011, 0.01)]
    public void Int8FieldStaysNearTheFloatField(string file, double early, double middle, double late)
    {
        using var files = new TestFiles();
        using VelocityModel quantized = VelocityModel.Load(QuantizeShipped(files, file, "weights"), Cpu), exact = VelocityModel.Load(RepositoryFiles.Path("models", file), Cpu);
        var random = new Randomness.RandomStream(8, 1);
        float[] x = Enumerable.Range(0, 2 * 2000).Select(_ => (float)(3 * random.NextGaussian())).ToArray();
        AssertFieldsClose(exact, quantized, _ => x, [(0.1, early), (0.5, middle), (0.9, late)], $"{file} int8 field error");
    }

    // Calibrated steps fit the activations met on the model's own paths, where x_t = (1 - t) z + t x1 with x1 the
    // float model's samples: measured there gmm8 7.4%, 2.3%, 1.1% and the checkerboard 2.2%, 0.50%, 0.44% at t = 0.1, 0.5, 0.9
    // (coarser than per-point steps where the activations stay small, early on). Off those
    // paths (the points of the test above, three standard deviations wide) the checkerboard's activations saturate
    // (43%, 26%, 10%): why per-point steps are the default. A wrong zero level or bias is far worse.
    [TestMethod]
    [DataRow("gmm8.onnx", 0.1, 0.035, 0.016)]
    [DataRow("checkerboard.onnx", 0.035, 0.01, 0.008)]
    public void CalibratedInt8FieldStaysNearTheFloatFieldOnTheModelsPaths(string file, double early, double middle, double late)
    {
        using var files = new TestFiles();
        using VelocityModel quantized = VelocityModel.Load(QuantizeShipped(files, file, "weights", "--activations", "calibrated"), Cpu), exact = VelocityModel.Load(RepositoryFiles.Path("models", file), Cpu);
        float[] x1 = exact.Sample(2000, new OdeSamplingOptions());
        var random = new Randomness.RandomStream(9, 1);
        float[] z = Enumerable.Range(0, x1.Length).Select(_ => (float)random.NextGaussian()).ToArray();
        var path = new Interpolants.LinearInterpolant();
        AssertFieldsClose(exact, quantized, t => [.. z.Zip(x1, (a, b) => (float)(path.Alpha(t) * a + path.Beta(t) * b))],
            [(0.1, early), (0.5, middle), (0.9, late)], $"{file} calibrated int8 field error on its paths");
    }

    [TestMethod]
    public void Int8SamplesDoNotDependOnTheChunkAndKeepTheModes()
    {
        using var files = new TestFiles();
        using VelocityModel quantized = VelocityModel.Load(QuantizeShipped(files, "gmm8.onnx", "weights"), Cpu);

        // Each point is quantized on its own: how the points are chunked changes nothing.
        CollectionAssert.AreEqual(quantized.Sample(300, new OdeSamplingOptions { Chunk = 300 }), quantized.Sample(300, new OdeSamplingOptions { Chunk = 7 }));
        float[] samples = quantized.Sample(4000, new OdeSamplingOptions());
        var modes = Metrics.ModeCoverage.Measure(Distributions.GaussianMixture.Ring8(), new Io.PointSet(samples, 2));
        Assert.IsTrue(modes.OffMode < 0.02 && modes.Smallest > 0.10, $"off-mode {modes.OffMode:P1}, smallest mode {modes.Smallest:P1}");

        var (code, error) = CommandLine.Trainer("quantize", "--model", files["q.onnx"], "--out", files["qq.onnx"]);
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, "already quantized");
    }

    // Calibrated steps reach only the U-Net's time and class embedding layers (its convolutions take each image's own).
    [TestMethod]
    [DataRow("per-point")]
    [DataRow("calibrated")]
    public void Int8UNetConvolutionsStayNearTheFloatFieldWhateverTheBatch(string activations)
    {
        using var files = new TestFiles();
        using VelocityModel quantized = VelocityModel.Load(QuantizeShipped(files, "fashion-mnist.onnx", "kernels", "--activations", activations), Cpu), exact = VelocityModel.Load(RepositoryFiles.Path("models", "fashion-mnist.onnx"), Cpu);
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
            AssertRelativeErrorBelow(bound, a, b, $"int8 U-Net ({activations}) field error at t = {t}");

            // Each image is quantized on its own: the first two alone give the same bytes as in the batch of eight.
            var pair = new float[2 * 784];
            Field(quantized).Evaluate(t, x.AsSpan(0, 2 * 784), classes.AsSpan(0, 2), pair);
            CollectionAssert.AreEqual(b[..(2 * 784)], pair);
        }
    }

    private static readonly ModelLoadOptions Cpu = new() { Provider = ExecutionProviderKind.Cpu };

    // Quantizes a shipped model with the trainer's command and checks the file shrank; returns the quantized file.
    private static string QuantizeShipped(TestFiles files, string file, string weights, params string[] options)
    {
        string shipped = RepositoryFiles.Path("models", file);
        var (code, error) = CommandLine.Trainer(["quantize", "--model", shipped, "--out", files["q.onnx"], .. options]);
        Assert.AreEqual(0, code, error);
        Assert.IsTrue(new FileInfo(files["q.onnx"]).Length < new FileInfo(shipped).Length / 3, $"int8 {weights} take a quarter of the bytes");
        return files["q.onnx"];
    }

    // The two models' fields at each time t on the points given for t, within that time's bound.
    private static void AssertFieldsClose(VelocityModel exact, VelocityModel quantized, Func<double, float[]> pointsAt, (double T, double Bound)[] bounds, string what)
    {
        foreach ((double t, double bound) in bounds)
        {
            float[] x = pointsAt(t);
            var a = new float[x.Length];
            var b = new float[x.Length];
            exact.Field.Evaluate(t, x, a);
            quantized.Field.Evaluate(t, x, b);
            AssertRelativeErrorBelow(bound, a, b, $"{what} at t = {t}");
        }
    }

    private static void AssertRelativeErrorBelow(double bound, float[] exact, float[] approximate, string what)
    {
        double error2 = exact.Zip(approximate, (p, q) => (double)(p - q) * (p - q)).Sum(), norm2 = exact.Sum(p => (double)p * p);
        Console.WriteLine($"{what}: {Math.Sqrt(error2 / norm2):P2}");
        Assert.IsTrue(Math.Sqrt(error2 / norm2) < bound, $"{what}: relative RMS error {Math.Sqrt(error2 / norm2):P2}");
    }

    // Calibrating runs the model: a model whose layers turn NaN has no int8 step, and nothing is written.
    [TestMethod]
    public void CalibratedQuantizationRefusesAModelThatTurnsNaN()
    {
        using var files = new TestFiles();
        var model = FlowMatching.Training.Onnx.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(RepositoryFiles.Path("models", "gmm8.onnx")));
        var bias = model.Graph.Initializer.Single(i => i.Name == "layer0.bias");
        bias.RawData = Google.Protobuf.ByteString.CopyFrom([.. Enumerable.Repeat(BitConverter.GetBytes(float.NaN), (int)bias.Dims[0]).SelectMany(b => b)]);
        AtomicFile.WriteAllBytes(files["nan.onnx"], Google.Protobuf.MessageExtensions.ToByteArray(model), overwrite: false);

        var (code, error) = CommandLine.Trainer("quantize", "--model", files["nan.onnx"], "--activations", "calibrated", "--out", files["q.onnx"]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, files["nan.onnx"], "layer0.silu", "calibration");
        Assert.IsFalse(File.Exists(files["q.onnx"]));
    }

    // Calibration is the long part of quantize: a cancelled run (the CLI's token on SIGINT, SIGTERM, SIGHUP) stops in it.
    [TestMethod]
    public void CalibrationStopsWhenCancelled()
    {
        var model = FlowMatching.Training.Onnx.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(RepositoryFiles.Path("models", "gmm8.onnx")));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsExactly<OperationCanceledException>(() =>
            FlowMatching.Training.Onnx.Int8Quantizer.Quantize(model, "gmm8.onnx", FlowMatching.Training.Onnx.ActivationScaling.Calibrated, cancelled.Token));
    }
}

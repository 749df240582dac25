using FlowMatching.Contract;
using FlowMatching.Io;
using FlowMatching.Runtime;
using FlowMatching.Runtime.Options;
using FlowMatching.Training.Onnx;
using FlowMatching.Training.Onnx.Proto;

namespace FlowMatching.Tests;

/// <summary>The whole Euler sampler as one ONNX graph gives what the step-by-step runtime gives.</summary>
[TestClass]
public sealed class SamplerGraphTests
{
    private static readonly ModelLoadOptions Cpu = new() { Provider = ExecutionProviderKind.Cpu };

    [TestMethod]
    [DataRow("gmm8.onnx", 4)]
    [DataRow("checkerboard.onnx", 10)]
    public void OneCallEqualsTheStepByStepSamplerTo1e5(string shipped, int steps)
    {
        using var files = new TestFiles();
        var (code, error) = CommandLine.Trainer("export-sampler", "--model", RepositoryFiles.Path("models", shipped), "--steps", $"{steps}", "--out", files["s.onnx"]);
        Assert.AreEqual(0, code, error);
        float[] stepwise, fused;
        using (FlowModel field = FlowModel.Load(RepositoryFiles.Path("models", shipped), Cpu))
        {
            stepwise = field.Sample(500, new OdeSamplingOptions { Solver = new() { Steps = steps } }, seed: 3, offset: 7);
        }

        using (FlowModel graph = FlowModel.Load(files["s.onnx"], Cpu))
        {
            Assert.AreEqual($"euler:{steps}", ((SamplerGraphModel)graph).Method.ToString());
            fused = graph.Sample(500, new OdeSamplingOptions { Chunk = 128 }, seed: 3, offset: 7);
            Assert.ThrowsExactly<Errors.InvalidSettingException>(() => graph.Sample(5, new OdeSamplingOptions { Solver = new() { Method = OdeMethod.Heun } }));
        }

        double worst = stepwise.Zip(fused, (a, b) => (double)Math.Abs(a - b)).Max();
        Assert.IsTrue(worst <= 1e-5 * Math.Max(1, stepwise.Max(Math.Abs)), $"max |step-by-step - graph| = {worst}");
    }

    [TestMethod]
    public void AnMlpsStepsTakeTheirTimeAsABiasComputedOnce()
    {
        ModelProto Unrolled(string shipped) =>
            SamplerGraph.Unroll(ModelProto.Parser.ParseFrom(File.ReadAllBytes(RepositoryFiles.Path("models", shipped))), 3, shipped);

        GraphProto mlp = Unrolled("gmm8.onnx").Graph;
        // Nothing a step computes from its time depends on the batch, so no time is expanded to the batch's length.
        Assert.IsFalse(mlp.Node.Any(n => n.OpType is "Expand" or "Shape"));
        Assert.IsFalse(mlp.Initializer.Any(i => i.Name == "layer0.weight"));
        CollectionAssert.AreEqual(new long[] { 512, 2 }, mlp.Initializer.Single(i => i.Name == "layer0.weight.points").Dims.ToArray());
        CollectionAssert.AreEqual(new long[] { 512, 16 }, mlp.Initializer.Single(i => i.Name == "layer0.weight.time").Dims.ToArray());
        NodeProto[] firstLayers = mlp.Node.Where(n => n.Input.Contains("layer0.weight.points")).ToArray();
        CollectionAssert.AreEqual(new[] { Contract.ModelSignature.NoiseInput, "step0/x_next", "step1/x_next" }, firstLayers.Select(n => n.Input[0]).ToArray());
        CollectionAssert.AreEqual(new[] { "step0/layer0.linear.time_bias", "step1/layer0.linear.time_bias", "step2/layer0.linear.time_bias" }, firstLayers.Select(n => n.Input[2]).ToArray());

        // The U-Net's points enter through a convolution: its steps keep a time per row.
        Assert.AreEqual(3, Unrolled("fashion-mnist.onnx").Graph.Node.Count(n => n.OpType == "Expand"));
    }

    [TestMethod]
    public void TheCliSamplesAGraphAndRefusesIntegratorOptions()
    {
        using var files = new TestFiles();
        Assert.AreEqual(0, CommandLine.Trainer("export-sampler", "--model", RepositoryFiles.Path("models", "gmm8.onnx"), "--out", files["s.onnx"]).ExitCode);
        var (code, error) = CommandLine.Runtime("sample", "--model", files["s.onnx"], "--provider", "cpu", "--n", "50", "--out", files["x.csv"]);
        Assert.AreEqual(0, code, error);
        Assert.AreEqual(51, File.ReadAllLines(files["x.csv"]).Length);
        (code, error) = CommandLine.Runtime("sample", "--model", files["s.onnx"], "--steps", "8", "--n", "5", "--out", files["y.csv"]);
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, "--steps");
        // Given starting points need a velocity field to integrate them; the graph draws its own.
        File.WriteAllText(files["init.csv"], "x0,x1\n0.1,0.2\n");
        (code, error) = CommandLine.Runtime("sample", "--model", files["s.onnx"], "--provider", "cpu", "--init", files["init.csv"], "--out", files["z.csv"]);
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, "--init: does not apply");
        Assert.IsFalse(error.Contains(" at ", StringComparison.Ordinal), error);
        Assert.IsFalse(File.Exists(files["z.csv"]));
        (code, error) = CommandLine.Trainer("export-sampler", "--model", files["s.onnx"], "--out", files["t.onnx"]);
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, "already a sampler graph");
    }

    [TestMethod]
    public void AnImageModelsGraphCarriesNoRecommendationAndSamplesWithTheDefaults()
    {
        using var files = new TestFiles();
        var (code, error) = CommandLine.Trainer("export-sampler", "--model", RepositoryFiles.Path("models", "fashion-mnist.onnx"), "--steps", "2", "--out", files["g.onnx"]);
        Assert.AreEqual(0, code, error);
        using (FlowModel graph = FlowModel.Load(files["g.onnx"], Cpu))
        {
            Assert.IsNull(graph.Contract!.Recommended, "the field's recommended sampler was copied into the graph");
        }

        (code, error) = CommandLine.Runtime("sample", "--model", files["g.onnx"], "--n", "4", "--out", files["x.npy"]);
        Assert.AreEqual(0, code, error);
        Assert.IsFalse(error.Contains("recommends", StringComparison.Ordinal), error);
        (code, error) = CommandLine.Runtime("sample", "--model", files["g.onnx"], "--n", "4", "--class", "all", "--guidance-interval", "0.2,0.5", "--out", files["y.npy"]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "--guidance-interval", "sampler graph without guidance");
        Assert.IsFalse(File.Exists(files["y.npy"]));
    }

    [TestMethod]
    [DataRow("quantize")]
    [DataRow("recommend")]
    [DataRow("export-sampler")]
    public void ARewriteOfTheFeatureClassifierIsRefused(string command)
    {
        using var files = new TestFiles();
        var (code, error) = CommandLine.Trainer(command, "--model", RepositoryFiles.Path("models", "fashion-mnist-classifier.onnx"), "--out", files["o.onnx"]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "fashion-mnist-classifier.onnx", "feature classifier");
        Assert.IsFalse(File.Exists(files["o.onnx"]));
    }
}

using FlowMatching.Io;
using FlowMatching.Runtime;
using FlowMatching.Runtime.Options;

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
            Assert.AreEqual($"euler:{steps}", graph.SamplerGraph);
            fused = graph.Sample(500, new OdeSamplingOptions { Chunk = 128 }, seed: 3, offset: 7);
            Assert.ThrowsExactly<Errors.InvalidSettingException>(() => graph.Sample(5, new OdeSamplingOptions { Solver = new() { Method = OdeMethod.Heun } }));
        }

        double worst = stepwise.Zip(fused, (a, b) => (double)Math.Abs(a - b)).Max();
        Assert.IsTrue(worst <= 1e-5 * Math.Max(1, stepwise.Max(Math.Abs)), $"max |step-by-step - graph| = {worst}");
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
        (code, error) = CommandLine.Trainer("export-sampler", "--model", files["s.onnx"], "--out", files["t.onnx"]);
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, "already a sampler graph");
    }
}

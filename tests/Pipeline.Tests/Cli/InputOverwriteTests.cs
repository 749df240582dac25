using System.Diagnostics;

namespace FlowMatching.Tests;

/// <summary>Nothing a user has is overwritten unasked, and an input never, --force or not: by path, symbolic or hard link.</summary>
[TestClass]
public sealed class InputOverwriteTests
{
    [TestMethod]
    public void SampleRefusesAnOutputThatIsAHardLinkToItsInit()
    {
        using var files = new TestFiles();
        string init = files.Write("init.csv", "x0,x1\n0.1,0.2\n0.3,0.4\n");
        string link = files["link.csv"];
        Link(init, link, symbolic: false);
        var (code, error) = CommandLine.Runtime("sample", "--model", "exact:gmm8", "--init", init, "--out", link, "--force");
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "--out", "--init", "an input of this run");
        Assert.AreEqual("x0,x1\n0.1,0.2\n0.3,0.4\n", File.ReadAllText(init));
    }

    [TestMethod]
    public void AnImageSamplesGridBesideItMayNotBeTheWeakModel()
    {
        using var files = new TestFiles();
        string weak = files["w.png"];
        File.Copy(RepositoryFiles.Path("models", "fashion-mnist-weak.onnx"), weak);
        byte[] before = File.ReadAllBytes(weak);
        var (code, error) = CommandLine.Runtime("sample", "--model", "fashion-mnist", "--weak-model", weak, "--autoguidance", "1.1", "--n", "2", "--out", files["w.npy"], "--force");
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "--out", "--weak-model");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(weak));
        Assert.IsFalse(File.Exists(files["w.npy"]));
    }

    [TestMethod]
    public void QuantizeRefusesToWriteOverItsModelThroughASymbolicLink()
    {
        using var files = new TestFiles();
        string model = files["m.onnx"];
        File.Copy(RepositoryFiles.Path("models", "gmm8.onnx"), model);
        Link(model, files["alias.onnx"], symbolic: true);
        byte[] before = File.ReadAllBytes(model);
        var (code, error) = CommandLine.Trainer("quantize", "--model", model, "--out", files["alias.onnx"], "--force");
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "--out", "--model");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(model));
    }

    [TestMethod]
    public void TrainRefusesALossLogThatIsItsTarget()
    {
        using var files = new TestFiles();
        string points = files.Write("points.csv", "x0,x1\n0.1,0.2\n0.3,0.4\n0.5,0.1\n");
        var (code, error) = CommandLine.Trainer("train", "--target", $"csv:{points}", "--steps", "1", "--out", files["m.onnx"], "--loss-csv", points, "--force");
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "--loss-csv", "--target");
        Assert.AreEqual("x0,x1\n0.1,0.2\n0.3,0.4\n0.5,0.1\n", File.ReadAllText(points));
        Assert.IsFalse(File.Exists(files["m.onnx"]));
    }

    [TestMethod]
    public void LogprobAndEvaluateRefuseToWriteOverTheirInput()
    {
        using var files = new TestFiles();
        string points = files.Write("points.csv", "x0,x1\n0.1,0.2\n0.3,0.4\n");
        var (code, error) = CommandLine.Runtime("logprob", "--model", "exact:gmm8", "--in", points, "--out", points, "--force");
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "--out", "--in");
        (code, error) = CommandLine.Runtime("evaluate", "--samples", points, "--report", points, "--force");
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "--report", "--samples");
        Assert.AreEqual("x0,x1\n0.1,0.2\n0.3,0.4\n", File.ReadAllText(points));
    }

    private static void Link(string target, string link, bool symbolic)
    {
        if (symbolic)
        {
            File.CreateSymbolicLink(link, target);
            return;
        }

        using Process ln = Process.Start("ln", [target, link])!;
        ln.WaitForExit();
        Assert.AreEqual(0, ln.ExitCode, "ln failed");
    }
}

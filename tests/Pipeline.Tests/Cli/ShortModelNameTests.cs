namespace FlowMatching.Tests;

/// <summary>The shipped models by short name: listed by `flowmatch models`, and the same as their files for --model.</summary>
[TestClass]
public sealed class ShortModelNameTests
{
    [TestMethod]
    public void ModelsListsEachShippedModelWithItsKindClassesAndRecommendation()
    {
        var (code, output, error) = CommandLine.RuntimeWithOutput("models");
        Assert.AreEqual(0, code, error);
        string[] lines = output.Split('\n');
        StringAssert.Contains(Line(lines, "fashion-mnist "), "velocity model, fashion-mnist [1x28x28], 10 classes; recommends heun 20, guidance 1.75");
        StringAssert.Contains(Line(lines, "fashion-mnist-classifier "), "feature classifier");
        StringAssert.Contains(Line(lines, "gmm8-reflow "), "recommends euler 4 on a stored grid");
        StringAssert.Contains(Line(lines, "gmm8-int8 "), "quantized");
        Assert.IsFalse(Line(lines, "gmm8 ").Contains("recommends", StringComparison.Ordinal));
    }

    [TestMethod]
    public void AShortNameSamplesTheShippedFile()
    {
        using var files = new TestFiles();
        var (code, error) = CommandLine.Runtime("sample", "--model", "gmm8-reflow", "--n", "50", "--seed", "4", "--out", files["short.csv"]);
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(error, "gmm8-reflow.onnx recommends ode euler 4 steps");
        (code, error) = CommandLine.Runtime("sample", "--model", RepositoryFiles.Path("models", "gmm8-reflow.onnx"), "--n", "50", "--seed", "4", "--out", files["path.csv"]);
        Assert.AreEqual(0, code, error);
        CollectionAssert.AreEqual(File.ReadAllBytes(files["path.csv"]), File.ReadAllBytes(files["short.csv"]));
    }

    [TestMethod]
    public void AnUnknownNameListsTheShippedOnes()
    {
        using var files = new TestFiles();
        var (code, error) = CommandLine.Runtime("sample", "--model", "fashon-mnist", "--n", "5", "--out", files["s.csv"]);
        Assert.AreEqual(1, code);
        ErrorLines.AssertOne(error, "--model fashon-mnist", "fashion-mnist, fashion-mnist-classifier");
        Assert.IsFalse(File.Exists(files["s.csv"]));
    }

    private static string Line(string[] lines, string name) =>
        lines.SingleOrDefault(l => l.TrimStart().StartsWith(name, StringComparison.Ordinal)) ?? throw new AssertFailedException($"no line for {name} in:\n{string.Join("\n", lines)}");
}

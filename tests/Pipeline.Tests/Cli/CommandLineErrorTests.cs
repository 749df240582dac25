namespace FlowMatching.Tests;

[TestClass]
public sealed class CommandLineErrorTests
{
    [TestMethod]
    public void UnknownFlagIsAUsageErrorNamingTheFlag()
    {
        var (code, error) = CommandLine.Trainer("train", "--stepz", "10");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "--stepz");
        Assert.AreEqual(1, error.Trim().Split('\n').Length, error);

        (code, error) = CommandLine.Runtime("sample", "--bogus");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "--bogus");
    }

    [TestMethod]
    [DataRow("sample", "--num", "--n")]
    [DataRow("sample", "--stesp", "--steps")]
    [DataRow("sample", "--guidence", "--guidance")]
    [DataRow("sampel", null, "sample")]
    public void AMisspeltFlagOrCommandGetsTheNearestName(string command, string? flag, string meant)
    {
        string[] args = flag is null ? [command] : [command, flag, "1"];
        var (code, error) = CommandLine.Runtime(args);
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, $"did you mean {meant}?");
        Assert.AreEqual(1, error.Trim().Split('\n').Length, error);
    }

    [TestMethod]
    public void ANegativeOrHugeCountIsRefusedBeforeTheModelIsOpened()
    {
        using var files = new TestFiles();
        string missing = files["no-such-model.onnx"];
        foreach (string n in new[] { "-5", "0", "1000000001" })
        {
            var (code, error) = CommandLine.Runtime("sample", "--model", missing, "--n", n, "--out", files["s.csv"]);
            Assert.AreEqual(1, code, error);
            ErrorLines.AssertOne(error, "--n", "1000000000");
            Assert.IsFalse(error.Contains("no-such-model", StringComparison.Ordinal), $"the model was opened first: {error}");
        }
    }

    [TestMethod]
    public void HelpSaysWhichDefaultsTheModelsRecommendationOverrides()
    {
        var (code, output, _) = CommandLine.RuntimeWithOutput("sample", "--help");
        Assert.AreEqual(0, code);
        foreach (string flag in new[] { "--steps", "--time-grid", "--guidance", "--guidance-interval", "--autoguidance" })
        {
            string line = output.Split('\n').Single(l => l.TrimStart().StartsWith(flag + " ", StringComparison.Ordinal));
            StringAssert.Contains(line, "[default: the model's recommendation, else ", line);
        }

        StringAssert.Contains(output, "[default: 20000]");
        StringAssert.Contains(output, "--interpolant <linear|trig>");
        Assert.IsFalse(output.Contains("Trigonometric", StringComparison.Ordinal), output);
    }

    [TestMethod]
    public void TargetHelpAndErrorListTheImageTargetsToo()
    {
        var (code, output, _) = CommandLine.TrainerWithOutput("train", "--help");
        Assert.AreEqual(0, code);
        StringAssert.Contains(output, "csv:PATH|fashion-mnist|idx:IMAGES[,LABELS]");

        using var files = new TestFiles();
        var (failed, error) = CommandLine.Trainer("train", "--target", "fashion", "--steps", "1", "--out", files["m.onnx"]);
        Assert.AreEqual(1, failed);
        ErrorLines.AssertOne(error, "--target", "fashion-mnist", "idx:IMAGES");
    }

    [TestMethod]
    [DataRow("idx:")]
    [DataRow("idx:,labels.gz")]
    [DataRow("idx:images.gz,")]
    public void AnIdxSpecWithoutAFileIsRefusedByName(string spec)
    {
        using var files = new TestFiles();
        var (code, error) = CommandLine.Trainer("train", "--target", spec, "--network", "unet", "--steps", "1", "--out", files["m.onnx"]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "--target", "names no file");
        Assert.IsFalse(File.Exists(files["m.onnx"]));
    }

    [TestMethod]
    [DataRow("--guidance", "3")]
    [DataRow("--guidance-interval", "0.2,0.6")]
    public void GuidingUnconditionalSamplesIsRefusedNotIgnored(string flag, string value)
    {
        using var files = new TestFiles();
        var (code, error) = CommandLine.Runtime("sample", "--model", "fashion-mnist", "--class", "none", flag, value, "--n", "2", "--out", files["x.npy"]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, flag, "unconditional samples are not guided");
        Assert.AreEqual(0, files.Files.Count());
    }

    [TestMethod]
    public void SamplesAndATargetOfTheOtherKindAreRefusedNamingBoth()
    {
        using var files = new TestFiles();
        FlowMatching.Io.NpyFile.Save(files["s.npy"], [12, 1, 28, 28], new float[12 * 784], overwrite: false);
        var (code, error) = CommandLine.Runtime("evaluate", "--samples", files["s.npy"], "--target", "gmm8");
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "--target gmm8", "a point target", "s.npy holds images");

        string points = files.Write("p.csv", "x0,x1\n0,1\n");
        (code, error) = CommandLine.Runtime("evaluate", "--samples", points, "--target", "fashion-mnist");
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "--target fashion-mnist", "an image target", "p.csv holds points");
    }

    [TestMethod]
    public void AWordFarFromEveryFlagGetsNoGuess()
    {
        var (code, error) = CommandLine.Runtime("sample", "--completely-unrelated", "1");
        Assert.AreEqual(2, code);
        Assert.IsFalse(error.Contains("did you mean", StringComparison.Ordinal), error);
    }

    [TestMethod]
    public void CorruptOnnxFileFailsWithoutOutput()
    {
        using var files = new TestFiles();
        string model = files.Write("broken.onnx", "this is not a protobuf model");
        var (code, error) = CommandLine.Runtime("sample", "--model", model, "--out", files["out.csv"], "--provider", "cpu");
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "broken.onnx");
        CollectionAssert.AreEquivalent(new[] { "broken.onnx" }, files.Files.ToArray());
    }

    [TestMethod]
    [DataRow("x0,x1\n1,2\n3,oops\n", "3", "oops")]
    [DataRow("1,2\n3,4,5\n", "2", "expected 2 columns")]
    [DataRow("x0,x1\n1,2\nNaN,4\n", "3", "NaN")]
    [DataRow("1,2\n3,\"unterminated\n", "2", "")]
    public void MalformedInitCsvIsRejectedNamingTheLine(string csv, string line, string detail)
    {
        using var files = new TestFiles();
        string init = files.Write("init.csv", csv);
        var (code, error) = CommandLine.Runtime("sample", "--model", "exact:gmm8", "--init", init, "--out", files["out.csv"]);
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, $"init.csv:{line}");
        StringAssert.Contains(error, detail);
        Assert.IsFalse(File.Exists(files["out.csv"]));
        Assert.AreEqual(1, files.Files.Count, string.Join(", ", files.Files));
    }

    [TestMethod]
    public void UnwritableOutputPathFailsClearly()
    {
        using var files = new TestFiles();
        string blocker = files.Write("file", "a file where a folder should be");
        string output = Path.Combine(blocker, "samples.csv");
        var (code, error) = CommandLine.Runtime("sample", "--model", "exact:gmm8", "--n", "10", "--out", output);
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, output);

        (code, error) = CommandLine.Trainer("train", "--steps", "1", "--batch", "8", "--hidden", "8", "--out", Path.Combine(blocker, "m.onnx"));
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, "m.onnx");
    }

    [TestMethod]
    public void ExistingOutputIsNotOverwrittenUnlessForced()
    {
        using var files = new TestFiles();
        string output = files.Write("samples.csv", "precious");
        var (code, error) = CommandLine.Runtime("sample", "--model", "exact:gmm8", "--n", "10", "--out", output);
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "--force");
        Assert.AreEqual("precious", File.ReadAllText(output));

        (code, error) = CommandLine.Runtime("sample", "--model", "exact:gmm8", "--n", "10", "--out", output, "--force");
        Assert.AreEqual(0, code, error);
        Assert.AreEqual(11, File.ReadAllLines(output).Length);
    }

    [TestMethod]
    public void BadValuesNameTheirFlag()
    {
        var (code, error) = CommandLine.Trainer("train", "--hidden", "512,abc");
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "--hidden");

        (code, error) = CommandLine.Trainer("train", "--target", "nowhere");
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "nowhere");

        (code, error) = CommandLine.Runtime("sample", "--model", "exact:gmm8", "--steps", "0");
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "--steps");
    }

    [TestMethod]
    [DataRow("runtime", "logprob", "rk4", "RungeKutta4")]
    [DataRow("runtime", "sample", "ode", "Ode")]
    [DataRow("trainer", "quantize", "per-point", "PerPoint")]
    public void HelpGivesAChoicesDefaultAsTheNameTheOptionTakes(string program, string command, string name, string member)
    {
        var (code, output, _) = program == "runtime" ? CommandLine.RuntimeWithOutput(command, "--help") : CommandLine.TrainerWithOutput(command, "--help");
        Assert.AreEqual(0, code);
        StringAssert.Contains(output, $"[default: {name}]");
        Assert.IsFalse(output.Contains($"[default: {member}]", StringComparison.Ordinal), output);
    }
}

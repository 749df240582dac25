using FlowMatching.Errors;
using FlowMatching.Io;
using FlowMatching.Training.Onnx;
using FlowMatching.Training.Training;

namespace FlowMatching.Tests;

/// <summary>Faults are input too: full disks, corrupt checkpoints, models that return NaN, files that change under a run.</summary>
[TestClass]
public sealed class ReliabilityTests
{
    private static void AssertOneErrorLine(string error, params string[] mentions)
    {
        string[] lines = error.Split('\n').Where(l => l.Contains("error:", StringComparison.Ordinal)).ToArray();
        Assert.AreEqual(1, lines.Length, error);
        foreach (string mention in mentions)
        {
            StringAssert.Contains(lines[0], mention);
        }

        Assert.IsFalse(error.Contains("   at ", StringComparison.Ordinal), $"a stack trace reached the user: {error}");
    }

    [TestMethod]
    public void FullDiskEndsEveryRuntimeWriterWithOneLineAndNoTemporaryFile()
    {
        using var files = new TestFiles();
        using var disk = SmallDisk.Mount(files, "256k", fill: false);
        var (code, error) = CommandLine.Runtime("sample", "--model", "exact:gmm8", "--steps", "2", "--n", "100000", "--out", disk["s.csv"]);
        Assert.AreEqual(1, code, error);
        AssertOneErrorLine(error, disk["s.csv"], "No space left on device");
        Assert.AreEqual(0, disk.Files.Count, string.Join(", ", disk.Files));

        PointCsv.Write(files["x.csv"], new PointSet(Enumerable.Range(0, 40000).Select(i => (float)(i % 9 - 4)).ToArray(), 2), overwrite: false);
        (code, error) = CommandLine.Runtime("logprob", "--model", "exact:gmm8", "--steps", "2", "--in", files["x.csv"], "--out", disk["lp.csv"]);
        Assert.AreEqual(1, code, error);
        AssertOneErrorLine(error, disk["lp.csv"], "No space left on device");
        Assert.AreEqual(0, disk.Files.Count, string.Join(", ", disk.Files));
    }

    [TestMethod]
    public void FullDiskEndsEvaluateReportsAndFiguresCleanly()
    {
        using var files = new TestFiles();
        PointCsv.Write(files["s.csv"], new PointSet(Enumerable.Range(0, 400).Select(i => (float)(i % 11 - 5)).ToArray(), 2), overwrite: false);
        using var disk = SmallDisk.Mount(files, "64k", fill: true);
        var (code, error) = CommandLine.Runtime("evaluate", "--samples", files["s.csv"], "--target-draws", "1", "--report", disk["r.json"]);
        Assert.AreEqual(1, code, error);
        AssertOneErrorLine(error, disk["r.json"], "No space left on device");
        (code, error) = CommandLine.Runtime("plot", "distributions", "--n", "200", "--out", disk["d.png"]);
        Assert.AreEqual(1, code, error);
        AssertOneErrorLine(error, disk["d.png"], "No space left on device");
        CollectionAssert.AreEquivalent(new[] { "filler" }, disk.Files.ToArray());
    }

    [TestMethod]
    [Timeout(120000, CooperativeCancellation = true)]
    public void FullDiskAtExportKeepsTheFinishedRunAndTrainerExportRecoversIt()
    {
        using var files = new TestFiles();
        string[] run = ["train", "--steps", "30", "--batch", "64", "--hidden", "32,32", "--seed", "5", "--validation-batch", "0"];
        Assert.AreEqual(0, CommandLine.Trainer([.. run, "--out", files["reference.onnx"]]).ExitCode);
        using var disk = SmallDisk.Mount(files, "64k", fill: true);
        var (code, error) = CommandLine.Trainer([.. run, "--out", disk["m.onnx"]]);
        Assert.AreEqual(1, code, error);
        AssertOneErrorLine(error, disk["m.onnx"], "No space left on device", "trainer export --checkpoint");
        string saved = System.Text.RegularExpressions.Regex.Match(error, "--checkpoint (\\S+)").Groups[1].Value;
        try
        {
            CollectionAssert.AreEquivalent(new[] { "filler" }, disk.Files.ToArray());
            (code, error) = CommandLine.Trainer("export", "--checkpoint", saved, "--out", files["recovered.onnx"]);
            Assert.AreEqual(0, code, error);
            CollectionAssert.AreEqual(File.ReadAllBytes(files["reference.onnx"]), File.ReadAllBytes(files["recovered.onnx"]));
        }
        finally
        {
            File.Delete(saved);
        }
    }

    [TestMethod]
    public void TrainerExportReproducesTheRunsOwnModel()
    {
        using var files = new TestFiles();
        var (code, error) = CommandLine.Trainer("train", "--steps", "25", "--batch", "64", "--hidden", "16", "--ema", "0.9", "--validation-batch", "0", "--out", files["m.onnx"], "--checkpoint", files["c.ckpt"]);
        Assert.AreEqual(0, code, error);
        (code, error) = CommandLine.Trainer("export", "--checkpoint", files["c.ckpt"], "--out", files["e.onnx"]);
        Assert.AreEqual(0, code, error);
        CollectionAssert.AreEqual(File.ReadAllBytes(files["m.onnx"]), File.ReadAllBytes(files["e.onnx"]));
        (code, error) = CommandLine.Trainer("export", "--checkpoint", files["c.ckpt"], "--out", files["e.onnx"]);
        Assert.AreEqual(1, code, "an existing model is not replaced without --force");
    }

    [TestMethod]
    [DataRow("sample")]
    [DataRow("sample --sampler sde")]
    [DataRow("sample --method dopri5 --max-steps 100000")]
    [DataRow("logprob")]
    public void AModelThatReturnsNaNStopsNamingTheTime(string command)
    {
        using var files = new TestFiles();
        string model = NaNModel(files["nan.onnx"]);
        files.Write("x.csv", "0,0\n1,1\n");
        string[] args = [.. command.Split(' '), "--model", model, "--provider", "cpu", "--n", "50", "--out", files["out.csv"], .. command == "logprob" ? new[] { "--in", files["x.csv"] } : []];
        if (command == "logprob")
        {
            args = args.Where((a, i) => a != "--n" && (i == 0 || args[i - 1] != "--n")).ToArray();
        }

        var (code, error) = CommandLine.Runtime(args);
        Assert.AreEqual(1, code, error);
        AssertOneErrorLine(error, "not finite at t = ");
        Assert.IsFalse(error.Contains("tolerance", StringComparison.Ordinal), error);
        Assert.IsFalse(File.Exists(files["out.csv"]));
    }

    [TestMethod]
    public void CheckpointsAreVerifiedBeforeTheyAreTrusted()
    {
        using var files = new TestFiles();
        files.Write("data.csv", string.Join("\n", Enumerable.Range(0, 200).Select(i => $"{i % 13},{i % 7 * 2}")) + "\n");
        string[] run = ["train", "--target", $"csv:{files["data.csv"]}", "--batch", "32", "--hidden", "8", "--validation-batch", "0", "--checkpoint", files["c.ckpt"]];
        Assert.AreEqual(0, CommandLine.Trainer([.. run, "--steps", "10", "--out", files["m.onnx"]]).ExitCode);

        var (code, error) = CommandLine.Trainer("train", "--resume", files["c.ckpt"], "--steps", "10", "--out", files["r.onnx"]);
        Assert.AreEqual(1, code, error);
        AssertOneErrorLine(error, "--steps 10", "already at step 10");

        byte[] good = File.ReadAllBytes(files["c.ckpt"]);
        byte[] flipped = (byte[])good.Clone();
        flipped[^100] ^= 0x04;
        File.WriteAllBytes(files["flipped.ckpt"], flipped);
        (code, error) = CommandLine.Trainer("train", "--resume", files["flipped.ckpt"], "--steps", "20", "--out", files["r.onnx"]);
        Assert.AreEqual(1, code, error);
        AssertOneErrorLine(error, "flipped.ckpt", "corrupt or cut short");

        File.WriteAllBytes(files["cut.ckpt"], good[..(good.Length / 2)]);
        (code, error) = CommandLine.Trainer("train", "--resume", files["cut.ckpt"], "--steps", "20", "--out", files["r.onnx"]);
        Assert.AreEqual(1, code, error);
        AssertOneErrorLine(error, "cut.ckpt", "corrupt or cut short");

        files.Write("data.csv", string.Join("\n", Enumerable.Range(0, 200).Select(i => $"{i % 13},{i % 5 * 2}")) + "\n");
        (code, error) = CommandLine.Trainer("train", "--resume", files["c.ckpt"], "--steps", "20", "--out", files["r.onnx"]);
        Assert.AreEqual(1, code, error);
        AssertOneErrorLine(error, "c.ckpt", "changed since this checkpoint");
        Assert.IsFalse(File.Exists(files["r.onnx"]));
    }

    [TestMethod]
    public void AnEarlierRunsCheckpointIsNeverReplacedUnasked()
    {
        using var files = new TestFiles();
        string checkpoint = files.Write("m.onnx.ckpt", "an earlier run's checkpoint");
        var (code, error) = CommandLine.Trainer("train", "--steps", "5", "--batch", "16", "--hidden", "8", "--out", files["m.onnx"]);
        Assert.AreEqual(1, code, error);
        AssertOneErrorLine(error, checkpoint, "--resume", "--force");
        Assert.AreEqual("an earlier run's checkpoint", File.ReadAllText(checkpoint));

        string blocker = files.Write("blocker", "a file where a folder should be");
        (code, error) = CommandLine.Trainer("train", "--steps", "5", "--batch", "16", "--hidden", "8", "--out", files["n.onnx"], "--checkpoint", Path.Combine(blocker, "c.ckpt"));
        Assert.AreEqual(1, code, error);
        AssertOneErrorLine(error, Path.Combine(blocker, "c.ckpt"));
        Assert.IsFalse(error.Contains("train 5/5", StringComparison.Ordinal), "the bad checkpoint path must be found before training");
    }

    [TestMethod]
    public void AFileThatAppearsDuringARunIsKept()
    {
        using var files = new TestFiles();
        using (AtomicFile output = AtomicFile.Create(files["out.csv"], overwrite: false))
        {
            output.Write("new"u8);
            File.WriteAllText(files["out.csv"], "written meanwhile by something else");
            var e = Assert.ThrowsExactly<OutputFileException>(output.Commit);
            Assert.IsTrue(e.AlreadyExists);
        }

        Assert.AreEqual("written meanwhile by something else", File.ReadAllText(files["out.csv"]));
        CollectionAssert.AreEquivalent(new[] { "out.csv" }, files.Files.ToArray());
    }

    [TestMethod]
    public void TheNextWriteRemovesOnlyWhatAGoneProcessLeft()
    {
        using var files = new TestFiles();
        using var gone = System.Diagnostics.Process.Start("true")!;
        gone.WaitForExit();
        string Temporary(int processId) => $".m.onnx.{processId}.{Guid.NewGuid():N}.tmp";
        string abandoned = Temporary(gone.Id), live = Temporary(Environment.ProcessId), other = $".n.onnx.{gone.Id}.{Guid.NewGuid():N}.tmp";
        foreach (string name in new[] { abandoned, live, other, ".m.onnx.notes.tmp" })
        {
            File.WriteAllText(files[name], "");
        }

        AtomicFile.WriteAllBytes(files["m.onnx"], "model"u8, overwrite: false);
        CollectionAssert.AreEquivalent(new[] { "m.onnx", live, other, ".m.onnx.notes.tmp" }, files.Files.ToArray());
    }

    [TestMethod]
    public void ForceReplacesOnlyRegularFilesAndDashMeansStandardOutput()
    {
        using var files = new TestFiles();
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [files["pipe"]])!)
        {
            mkfifo.WaitForExit();
        }

        Assert.IsFalse(FileKind.IsRegularFile(files["pipe"]));
        Assert.IsTrue(FileKind.IsRegularFile(files.Write("plain", "x")));
        var (code, error) = CommandLine.Runtime("sample", "--model", "exact:gmm8", "--n", "5", "--out", files["pipe"], "--force");
        Assert.AreEqual(1, code, error);
        AssertOneErrorLine(error, files["pipe"], "not a regular file");
        Assert.IsFalse(FileKind.IsRegularFile(files["pipe"]), "the FIFO must still be a FIFO");

        using var child = ChildProcess.Start("runtime", ["sample", "--model", "exact:gmm8", "--n", "5", "--out", "-"], standardOutput: files["stdout.csv"]);
        Assert.IsTrue(child.WaitForExit(60000));
        Assert.AreEqual(0, child.ExitCode, child.Error);
        string[] lines = File.ReadAllLines(files["stdout.csv"]);
        Assert.AreEqual(6, lines.Length);
        Assert.AreEqual("x0,x1", lines[0]);
    }

    [TestMethod]
    public void MessagesNameWhatIsWrong()
    {
        using var files = new TestFiles();
        (string[] Args, string Mentions)[] cases =
        [
            (["samples"], "'samples'"),
            (["plot", "bogus"], "'bogus'"),
            (["sample", "--n", "abc"], "--n abc: expected a whole number"),
            (["sample", "--model", "exact:unknown"], "exact:gmm8"),
            (["sample", "--model", files.Root], "is a directory"),
            (["sample", "--model", "exact:gmm8", "--init", files.Root], "is a directory"),
            (["evaluate", "--samples", files.Write("one.csv", "1,2\n")], "--samples"),
        ];
        foreach (var (args, mentions) in cases)
        {
            string[] full = args[0] == "sample" ? [.. args, "--out", files["o.csv"]] : args;
            var (code, error) = CommandLine.Runtime(full);
            Assert.AreNotEqual(0, code, string.Join(" ", args));
            StringAssert.Contains(error, mentions, string.Join(" ", args));
            Assert.IsFalse(error.Contains("System.", StringComparison.Ordinal), error);
        }

        string longField = new('9', 300000);
        files.Write("long.csv", $"1,{longField}x\n");
        var (_, said) = CommandLine.Runtime("sample", "--model", "exact:gmm8", "--init", files["long.csv"], "--out", files["o.csv"]);
        StringAssert.Contains(said, "long.csv:1");
        Assert.IsTrue(said.Length < 400, $"the error echoes {said.Length} characters");
    }

    [TestMethod]
    public void CsvFilesEndTheirLinesWithLineFeedsOnly()
    {
        using var files = new TestFiles();
        Assert.AreEqual(0, CommandLine.Runtime("sample", "--model", "exact:gmm8", "--n", "20", "--steps", "2", "--out", files["s.csv"]).ExitCode);
        Assert.AreEqual(0, CommandLine.Trainer("train", "--steps", "3", "--batch", "16", "--hidden", "8", "--out", files["m.onnx"], "--loss-csv", files["l.csv"]).ExitCode);
        foreach (string csv in new[] { "s.csv", "l.csv" })
        {
            string text = File.ReadAllText(files[csv]);
            Assert.IsFalse(text.Contains('\r'), $"{csv} has CR line endings");
            Assert.IsTrue(text.EndsWith('\n'));
        }
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
        AssertOneErrorLine(error, files["nan.onnx"], "layer0.silu", "calibration");
        Assert.IsFalse(File.Exists(files["q.onnx"]));
    }

    // v = sqrt(-(x^2 + 1)): NaN at every point, as a broken export would give.
    private static string NaNModel(string path)
    {
        var graph = new OnnxGraphBuilder("nan");
        graph.Input("x", "batch", 2);
        graph.Input("t", "batch");
        graph.Output("v", "batch", 2);
        string square = graph.Node("Mul", "square", ["x", "x"]);
        string plusOne = graph.Node("Add", "plus_one", [square, graph.Initializer("one", [1f], 1)]);
        string negative = graph.Node("Neg", "negative", [plusOne]);
        graph.Node("Sqrt", "v", [negative]);
        var model = new FlowMatching.Training.Onnx.Proto.ModelProto { IrVersion = OnnxExporter.IrVersion, Graph = graph.Graph };
        model.OpsetImport.Add(new FlowMatching.Training.Onnx.Proto.OperatorSetIdProto { Domain = "", Version = OnnxExporter.Opset });
        AtomicFile.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(model), overwrite: false);
        return path;
    }
}

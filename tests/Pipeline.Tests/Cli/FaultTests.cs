using FlowMatching.Errors;
using FlowMatching.Io;
using FlowMatching.Training;
using FlowMatching.Training.Onnx;

namespace FlowMatching.Tests;

/// <summary>Faults are input too: full disks, models that return NaN, files that appear or are left under a run.</summary>
[TestClass]
public sealed class FaultTests
{
    [TestMethod]
    public void FullDiskEndsEveryRuntimeWriterWithOneLineAndNoTemporaryFile()
    {
        using var files = new TestFiles();
        using var disk = SmallDisk.Mount(files, "256k", fill: false);
        var (code, error) = CommandLine.Runtime("sample", "--model", "exact:gmm8", "--steps", "2", "--n", "100000", "--out", disk["s.csv"]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, disk["s.csv"], "No space left on device");
        Assert.AreEqual(0, disk.Files.Count, string.Join(", ", disk.Files));

        PointCsv.Write(files["x.csv"], new PointSet(Enumerable.Range(0, 40000).Select(i => (float)(i % 9 - 4)).ToArray(), 2), overwrite: false);
        (code, error) = CommandLine.Runtime("logprob", "--model", "exact:gmm8", "--steps", "2", "--in", files["x.csv"], "--out", disk["lp.csv"]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, disk["lp.csv"], "No space left on device");
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
        ErrorLines.AssertOne(error, disk["r.json"], "No space left on device");
        (code, error) = CommandLine.Runtime("plot", "distributions", "--n", "200", "--out", disk["d.png"]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, disk["d.png"], "No space left on device");
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
        ErrorLines.AssertOne(error, disk["m.onnx"], "No space left on device", "flowmatch-trainer export --checkpoint");
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
        ErrorLines.AssertOne(error, "not finite at t = ");
        Assert.IsFalse(error.Contains("tolerance", StringComparison.Ordinal), error);
        Assert.IsFalse(File.Exists(files["out.csv"]));
    }

    [TestMethod]
    public void AWeakModelThatReturnsNaNIsNamedAsTheWeakModel()
    {
        using var files = new TestFiles();
        var model = FlowMatching.Training.Onnx.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(RepositoryFiles.Path("models", "gmm8-reflow.onnx")));
        var bias = model.Graph.Initializer.Single(i => i.Name == "layer0.bias");
        bias.RawData = Google.Protobuf.ByteString.CopyFrom([.. Enumerable.Repeat(BitConverter.GetBytes(float.NaN), (int)bias.Dims[0]).SelectMany(b => b)]);
        File.WriteAllBytes(files["weak.onnx"], Google.Protobuf.MessageExtensions.ToByteArray(model));

        var (code, error) = CommandLine.Runtime("sample", "--model", "gmm8", "--weak-model", files["weak.onnx"], "--autoguidance", "1.5", "--n", "20", "--out", files["out.csv"]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, $"the weak model {files["weak.onnx"]}'s velocity", "not finite at t = 0");
        Assert.IsFalse(File.Exists(files["out.csv"]));
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
        ErrorLines.AssertOne(error, files["pipe"], "not a regular file");
        Assert.IsFalse(FileKind.IsRegularFile(files["pipe"]), "the FIFO must still be a FIFO");

        using var child = ChildProcess.Start("flowmatch", ["sample", "--model", "exact:gmm8", "--n", "5", "--out", "-"], standardOutput: files["stdout.csv"]);
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
        var model = new FlowMatching.Training.Onnx.Proto.ModelProto { IrVersion = OnnxModelFile.IrVersion, Graph = graph.Graph };
        model.OpsetImport.Add(new FlowMatching.Training.Onnx.Proto.OperatorSetIdProto { Domain = "", Version = OnnxModelFile.Opset });
        AtomicFile.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(model), overwrite: false);
        return path;
    }
}

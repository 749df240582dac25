using FlowMatching.Training;

namespace FlowMatching.Tests;

/// <summary>Real signals sent to real child processes: SIGINT, SIGTERM and SIGHUP all save the run or remove the partial output.</summary>
[TestClass]
public sealed class InterruptTests
{
    [TestMethod]
    [Timeout(120000, CooperativeCancellation = true)]
    [DataRow(2, 130)]
    [DataRow(15, 143)]
    [DataRow(1, 129)]
    public void SignalWritesACheckpointAndExitsCleanlySayingHowToResume(int signal, int exitCode)
    {
        using var files = new TestFiles();
        using var trainer = ChildProcess.Start("flowmatch-trainer", ["train", "--steps", "1000000", "--batch", "64", "--hidden", "16", "--out", files["m.onnx"], "--validation-batch", "0", "--loss-csv", files["loss.csv"]]);
        trainer.SignalOnceWorking(signal);
        Assert.IsTrue(trainer.WaitForExit(30000), "the trainer did not stop after the signal");
        string said = trainer.Error;
        Assert.AreEqual(exitCode, trainer.ExitCode, said);
        StringAssert.Contains(said, $"--resume {files["m.onnx.ckpt"]} --out {files["m.onnx"]} --loss-csv {files["loss.csv"]}");
        int step = TrainingCheckpoint.ReadHeader(files["m.onnx.ckpt"]).Step;
        Assert.IsTrue(step > 0);
        string[] loss = File.ReadAllLines(files["loss.csv"]);
        Assert.AreEqual("step,loss,lr,val_loss", loss[0]);
        Assert.AreEqual($"{step}", loss[^1].Split(',')[0], "the loss log holds every step up to the checkpoint");
        Assert.IsFalse(File.Exists(files["m.onnx"]), "no model is exported from an interrupted run");
        Assert.IsFalse(files.Files.Any(f => f.EndsWith(".tmp")), string.Join(", ", files.Files));
    }

    [TestMethod]
    [Timeout(120000, CooperativeCancellation = true)]
    public void TheCommandToContinueKeepsTheRunsCheckpointing()
    {
        using var files = new TestFiles();
        using var trainer = ChildProcess.Start("flowmatch-trainer", ["train", "--steps", "1000000", "--batch", "64", "--hidden", "16", "--out", files["m.onnx"], "--validation-batch", "0",
            "--checkpoint", files["run.ckpt"], "--checkpoint-every", "50"]);
        trainer.SignalOnceWorking(2);
        Assert.IsTrue(trainer.WaitForExit(30000), "the trainer did not stop after the signal");
        StringAssert.Contains(trainer.Error, $"continue with: flowmatch-trainer train --resume {files["run.ckpt"]} --out {files["m.onnx"]} --checkpoint {files["run.ckpt"]} --checkpoint-every 50");
    }

    [TestMethod]
    [Timeout(180000, CooperativeCancellation = true)]
    public void AKilledAndResumedRunsLossLogEqualsTheUninterruptedOneByteForByte()
    {
        // SIGKILL leaves no chance to save: the run resumes from its last periodic checkpoint, and the loss log
        // drops the rows written after it (and a cut last line) before continuing in the same file.
        using var files = new TestFiles();
        string[] run = ["train", "--steps", "20000", "--batch", "64", "--hidden", "16", "--seed", "4", "--validation-batch", "500", "--validation-every", "250"];
        var (code, error) = CommandLine.Trainer([.. run, "--out", files["whole.onnx"], "--loss-csv", files["whole.csv"]]);
        Assert.AreEqual(0, code, error);

        using (var trainer = ChildProcess.Start("flowmatch-trainer", [.. run, "--out", files["m.onnx"], "--loss-csv", files["loss.csv"], "--checkpoint", files["c.ckpt"], "--checkpoint-every", "500"]))
        {
            trainer.SignalWhen(() => File.Exists(files["c.ckpt"]), 9);
            Assert.IsTrue(trainer.WaitForExit(30000));
        }

        int saved = TrainingCheckpoint.ReadHeader(files["c.ckpt"]).Step;
        Assert.IsTrue(saved is > 0 and < 20000, $"checkpoint at step {saved}: kill the run earlier");
        Assert.AreEqual(1, files.Files.Count(f => f.StartsWith(".m.onnx.") && f.EndsWith(".tmp")), "the killed run could not remove its model's temporary file");
        (code, error) = CommandLine.Trainer("train", "--resume", files["c.ckpt"], "--out", files["m.onnx"], "--loss-csv", files["loss.csv"]);
        Assert.AreEqual(0, code, error);
        CollectionAssert.AreEqual(File.ReadAllBytes(files["whole.csv"]), File.ReadAllBytes(files["loss.csv"]));
        CollectionAssert.AreEqual(File.ReadAllBytes(files["whole.onnx"]), File.ReadAllBytes(files["m.onnx"]));
        // The run after it removed what the killed one left.
        Assert.IsFalse(files.Files.Any(f => f.EndsWith(".tmp")), string.Join(", ", files.Files));
    }

    [TestMethod]
    [Timeout(120000, CooperativeCancellation = true)]
    [DataRow(2, 130, "sample")]
    [DataRow(15, 143, "sample")]
    [DataRow(15, 143, "logprob")]
    [DataRow(2, 130, "autoguided sample")]
    [DataRow(1, 129, "evaluate")]
    [DataRow(15, 143, "plot image-path")]
    public void SignalStopsARuntimeCommandAndRemovesItsTemporaryFile(int signal, int exitCode, string command)
    {
        using var files = new TestFiles();
        string[] args = command switch
        {
            "sample" => ["sample", "--model", "exact:gmm8", "--n", "50000000", "--chunk", "20000", "--out", files["out.csv"]],
            "autoguided sample" => ["sample", "--model", RepositoryFiles.Path("models", "gmm8.onnx"), "--weak-model", RepositoryFiles.Path("models", "gmm8-reflow.onnx"),
                "--autoguidance", "1.5", "--provider", "cpu", "--n", "50000000", "--out", files["out.csv"]],
            "plot image-path" => ["plot", "image-path", "--model", "fashion-mnist", "--class", "all", "--n", "100", "--steps", "400", "--out", files["out.png"]],
            "evaluate" => ["evaluate", "--samples", Points(files, 20000), "--target", "gmm8", "--target-draws", "100", "--report", files["out.csv"]],
            _ => ["logprob", "--model", "exact:gmm8", "--in", Points(files, 400000), "--chunk", "2000", "--out", files["out.csv"]],
        };
        using var runtime = ChildProcess.Start("flowmatch", args);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (command == "plot image-path")
        {
            // It shows no progress line to wait for: a few seconds in, it is integrating.
            runtime.SignalWhen(() => clock.Elapsed > TimeSpan.FromSeconds(4), signal);
        }
        else
        {
            runtime.SignalOnceWorking(signal);
        }

        Assert.IsTrue(runtime.WaitForExit(30000), "the runtime did not stop after the signal");
        Assert.AreEqual(exitCode, runtime.ExitCode, runtime.Error);
        StringAssert.Contains(runtime.Error, "stopped by SIG");
        CollectionAssert.AreEquivalent(command is "logprob" or "evaluate" ? new[] { "x.csv" } : Array.Empty<string>(), files.Files.ToArray());
    }

    [TestMethod]
    [Timeout(120000, CooperativeCancellation = true)]
    public void SignalStopsAReflowWhileItsTeacherSamples()
    {
        using var files = new TestFiles();
        using var trainer = ChildProcess.Start("flowmatch-trainer", ["reflow", "--teacher", RepositoryFiles.Path("models", "gmm8.onnx"), "--pairs", "2000000", "--steps", "100000", "--out", files["r.onnx"]]);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        trainer.SignalWhen(() => clock.Elapsed > TimeSpan.FromSeconds(4), 15);
        Assert.IsTrue(trainer.WaitForExit(30000), "reflow did not stop after SIGTERM");
        Assert.AreEqual(143, trainer.ExitCode, trainer.Error);
        Assert.AreEqual(0, files.Files.Count(), string.Join(", ", files.Files));
    }

    [TestMethod]
    [Timeout(120000, CooperativeCancellation = true)]
    public void SignalStopsTheClassifiersTrainingAndLeavesNoModel()
    {
        using var files = new TestFiles();
        (string images, string labels) = IdxTests.Fixture(files, count: 24);
        string set = $"idx:{images},{labels}";
        using var trainer = ChildProcess.Start("flowmatch-trainer", ["classifier", "--target", set, "--test", set, "--steps", "1000000", "--batch", "8", "--out", files["c.onnx"]]);
        trainer.SignalOnceWorking(15);
        Assert.IsTrue(trainer.WaitForExit(30000), "the classifier's training did not stop after SIGTERM");
        Assert.AreEqual(143, trainer.ExitCode, trainer.Error);
        CollectionAssert.AreEquivalent(new[] { Path.GetFileName(images), Path.GetFileName(labels) }, files.Files.ToArray());
    }

    // The adapted time grid's dopri5 pilot on the image model takes about 40 s here: the signal comes a few seconds in.
    [TestMethod]
    [Timeout(120000, CooperativeCancellation = true)]
    public void SignalStopsRecommendWhileItsPilotRuns()
    {
        using var files = new TestFiles();
        StopsPromptlyOnSignal(["recommend", "--model", RepositoryFiles.Path("models", "fashion-mnist.onnx"), "--time-grid", "adapted", "--out", files["r.onnx"]], after: 4);
        Assert.AreEqual(0, files.Files.Count(), string.Join(", ", files.Files));
    }

    // Calibration integrates 4000 points through three 2048-wide layers 20 times: about a minute here, so the
    // signal two seconds in lands mid-calibration.
    [TestMethod]
    [Timeout(120000, CooperativeCancellation = true)]
    public void SignalStopsQuantizeWhileItCalibrates()
    {
        using var files = new TestFiles();
        var options = new TrainingOptions { Steps = 1, Batch = 16, Hidden = [2048, 2048, 2048], ValidationBatch = 0 };
        Models.Export(Models.Train(options), options, files["wide.onnx"]);
        StopsPromptlyOnSignal(["quantize", "--model", files["wide.onnx"], "--activations", "calibrated", "--out", files["q.onnx"]], after: 2);
        CollectionAssert.AreEquivalent(new[] { "wide.onnx" }, files.Files.ToArray());
    }

    // SIGTERM a trainer command `after` seconds in: it must exit 143 within 10 s, saying so.
    [TestMethod]
    public void SignalStopsWritingAnImageFolderAndLeavesNothing()
    {
        using var files = new TestFiles();
        StopsPromptlyOnSignal(["images", "--target", "fashion-mnist", "--out", files["fashion"]], after: 3);
        Assert.IsFalse(Directory.Exists(files["fashion"]));
        Assert.AreEqual(0, Directory.GetFileSystemEntries(files.Root).Length, string.Join(", ", Directory.GetFileSystemEntries(files.Root)));
    }

    private static void StopsPromptlyOnSignal(string[] arguments, int after)
    {
        using var trainer = ChildProcess.Start("flowmatch-trainer", arguments);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        trainer.SignalWhen(() => clock.Elapsed > TimeSpan.FromSeconds(after), 15);
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        Assert.IsTrue(trainer.WaitForExit(30000), $"{arguments[0]} did not stop after SIGTERM");
        Assert.IsTrue(stopping.Elapsed < TimeSpan.FromSeconds(10), $"{arguments[0]} took {stopping.Elapsed.TotalSeconds:F1} s to stop");
        Assert.AreEqual(143, trainer.ExitCode, trainer.Error);
        StringAssert.Contains(trainer.Error, "stopped by SIG");
    }

    private static string Points(TestFiles files, int n)
    {
        using var writer = new StreamWriter(files["x.csv"]);
        writer.WriteLine("x0,x1");
        for (int i = 0; i < n; i++)
        {
            writer.WriteLine($"{i % 7 - 3},{i % 5 - 2}");
        }

        return files["x.csv"];
    }
}

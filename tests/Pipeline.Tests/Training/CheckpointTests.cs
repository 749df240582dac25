using System.Text.Json;
using FlowMatching.Contract;
using FlowMatching.Distributions;
using FlowMatching.Training;
using FlowMatching.Training.Network;
using static TorchSharp.torch;

namespace FlowMatching.Tests;

[TestClass]
public sealed class CheckpointTests
{
    [TestMethod]
    public void InterruptedAndResumedRunEndsBitForBitAsTheUninterruptedOne()
    {
        // CPU kernels are deterministic for a fixed thread count, the batch streams and the Adam state are
        // restored exactly, and the learning rate is a function of the step: so equality is exact.
        var options = new TrainingOptions { Steps = 60, Batch = 200, Hidden = [32, 32], Seed = 12, EmaDecay = 0.95, TimeEmbedding = TimeEmbedding.Fourier(2), LearningRateStep = 25, ValidationBatch = 0 };
        IDistribution target = TargetCatalog.Parse(options.Target);
        using var files = new TestFiles();
        using var uninterrupted = (Mlp)new Trainer(options, target).Train(CPU);

        using var interrupt = new CancellationTokenSource();
        var policy = new CheckpointPolicy(files["run.ckpt"]);
        var stopped = Assert.ThrowsExactly<TrainingInterruptedException>(() => new Trainer(options, target).Train(CPU, policy, step =>
        {
            if (step.Step == 23)
            {
                interrupt.Cancel();
            }
        }, interrupt.Token));
        Assert.AreEqual(23, stopped.Step);
        Assert.AreEqual(23, TrainingCheckpoint.ReadHeader(files["run.ckpt"]).Step);

        using var resumed = (Mlp)new Trainer(options, target).Train(CPU, policy with { Resume = ResumePoint.Read(files["run.ckpt"]) });
        float[][] a = uninterrupted.ToWeights().Layers.Select(l => l.Weight.Concat(l.Bias).ToArray()).ToArray();
        float[][] b = resumed.ToWeights().Layers.Select(l => l.Weight.Concat(l.Bias).ToArray()).ToArray();
        for (int layer = 0; layer < a.Length; layer++)
        {
            CollectionAssert.AreEqual(a[layer], b[layer], $"layer {layer}");
        }
    }

    [TestMethod]
    public void TypedSettingsKeepTheirNamesInTheHeaderAndOlderHeadersStillRead()
    {
        var options = new TrainingOptions { Activation = Activation.Gelu, TimeEmbedding = TimeEmbedding.Fourier(8), TimeSampling = TimeSampling.Parse("logit-normal:-0.5,1"), Device = DeviceChoice.Cpu, Network = NetworkKind.UNet };
        string json = JsonSerializer.Serialize(options);
        StringAssert.Contains(json, "\"Device\":\"cpu\"");
        StringAssert.Contains(json, "\"Network\":\"unet\"");
        StringAssert.Contains(json, "\"Activation\":\"gelu\"");
        StringAssert.Contains(json, "\"TimeEmbedding\":\"fourier:8\"");
        StringAssert.Contains(json, "\"TimeSampling\":\"logit-normal:-0.5,1\"");
        TrainingOptions back = JsonSerializer.Deserialize<TrainingOptions>(json)!;
        Assert.AreEqual((options.Activation, options.TimeEmbedding, options.TimeSampling, options.Device, options.Network), (back.Activation, back.TimeEmbedding, back.TimeSampling, back.Device, back.Network));

        // The header of a checkpoint written when these settings were strings, before time sampling existed.
        // Device and network were written as the members' numbers.
        TrainingOptions older = JsonSerializer.Deserialize<TrainingOptions>("""{"Target":"gmm8","Activation":"silu","TimeEmbedding":"fourier:2","Steps":60,"Device":1,"Network":1}""")!;
        Assert.AreEqual((Activation.Silu, TimeEmbedding.Fourier(2), TimeSampling.Uniform, 60, DeviceChoice.Cpu, NetworkKind.UNet), (older.Activation, older.TimeEmbedding, older.TimeSampling, older.Steps, older.Device, older.Network));

        foreach (string bad in new[] { """{"Activation":"swish"}""", """{"Activation":1}""", """{"TimeEmbedding":"fourier:99"}""", """{"TimeSampling":"logit-normal:0"}""", """{"Network":7}""", """{"Device":"gpu"}""" })
        {
            Assert.ThrowsExactly<JsonException>(() => JsonSerializer.Deserialize<TrainingOptions>(bad), bad);
        }
    }

    [TestMethod]
    public void ResumeFromTheCommandLineGivesTheSameModelFile()
    {
        using var files = new TestFiles();
        string[] common = ["train", "--batch", "128", "--hidden", "32", "--seed", "3", "--validation-batch", "0"];
        Assert.AreEqual(0, CommandLine.Trainer([.. common, "--steps", "40", "--out", files["full.onnx"]]).ExitCode);
        Assert.AreEqual(0, CommandLine.Trainer([.. common, "--steps", "20", "--out", files["half.onnx"], "--checkpoint", files["c.ckpt"], "--checkpoint-every", "10"]).ExitCode);
        var (code, error) = CommandLine.Trainer("train", "--resume", files["c.ckpt"], "--steps", "40", "--out", files["resumed.onnx"]);
        Assert.AreEqual(0, code, error);
        CollectionAssert.AreEqual(File.ReadAllBytes(files["full.onnx"]), File.ReadAllBytes(files["resumed.onnx"]));
    }

    [TestMethod]
    public void DivergingLossStopsNamingTheStepAndKeepsTheLastCheckpoint()
    {
        using var files = new TestFiles();
        var (code, error) = CommandLine.Trainer("train", "--lr", "1e6", "--lr-gamma", "1", "--steps", "300", "--batch", "64", "--hidden", "64,64", "--out", files["m.onnx"],
            "--checkpoint", files["c.ckpt"], "--checkpoint-every", "1", "--validation-batch", "0", "--loss-csv", files["loss.csv"]);
        Assert.AreEqual(1, code, error);
        StringAssert.Matches(error, new System.Text.RegularExpressions.Regex("loss became (NaN|∞|-∞|Infinity|-Infinity) at step [0-9]+"));
        StringAssert.Contains(error, "c.ckpt");
        Assert.IsFalse(File.Exists(files["m.onnx"]));
        int step = int.Parse(System.Text.RegularExpressions.Regex.Match(error, "at step ([0-9]+)").Groups[1].Value);
        Assert.AreEqual(step - 1, TrainingCheckpoint.ReadHeader(files["c.ckpt"]).Step);
        // The history up to the failure stays: the last good step is the last row.
        Assert.AreEqual($"{step - 1}", File.ReadAllLines(files["loss.csv"])[^1].Split(',')[0]);
    }

    [TestMethod]
    public void CorruptCheckpointIsRejectedNamingTheFile()
    {
        using var files = new TestFiles();
        var (code, error) = CommandLine.Trainer("train", "--resume", files.Write("bad.ckpt", "nope"), "--out", files["m.onnx"]);
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "bad.ckpt");
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
    public void CheckpointsAreVerifiedBeforeTheyAreTrusted()
    {
        using var files = new TestFiles();
        files.Write("data.csv", string.Join("\n", Enumerable.Range(0, 200).Select(i => $"{i % 13},{i % 7 * 2}")) + "\n");
        string[] run = ["train", "--target", $"csv:{files["data.csv"]}", "--batch", "32", "--hidden", "8", "--validation-batch", "0", "--checkpoint", files["c.ckpt"]];
        Assert.AreEqual(0, CommandLine.Trainer([.. run, "--steps", "10", "--out", files["m.onnx"]]).ExitCode);

        var (code, error) = CommandLine.Trainer("train", "--resume", files["c.ckpt"], "--steps", "10", "--out", files["r.onnx"]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "--steps 10", "already at step 10");

        byte[] good = File.ReadAllBytes(files["c.ckpt"]);
        byte[] flipped = (byte[])good.Clone();
        flipped[^100] ^= 0x04;
        File.WriteAllBytes(files["flipped.ckpt"], flipped);
        (code, error) = CommandLine.Trainer("train", "--resume", files["flipped.ckpt"], "--steps", "20", "--out", files["r.onnx"]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "flipped.ckpt", "corrupt or cut short");

        File.WriteAllBytes(files["cut.ckpt"], good[..(good.Length / 2)]);
        (code, error) = CommandLine.Trainer("train", "--resume", files["cut.ckpt"], "--steps", "20", "--out", files["r.onnx"]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "cut.ckpt", "corrupt or cut short");

        files.Write("data.csv", string.Join("\n", Enumerable.Range(0, 200).Select(i => $"{i % 13},{i % 5 * 2}")) + "\n");
        (code, error) = CommandLine.Trainer("train", "--resume", files["c.ckpt"], "--steps", "20", "--out", files["r.onnx"]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "c.ckpt", "changed since this checkpoint");
        Assert.IsFalse(File.Exists(files["r.onnx"]));
    }

    [TestMethod]
    public void AnEarlierRunsCheckpointIsNeverReplacedUnasked()
    {
        using var files = new TestFiles();
        string checkpoint = files.Write("m.onnx.ckpt", "an earlier run's checkpoint");
        var (code, error) = CommandLine.Trainer("train", "--steps", "5", "--batch", "16", "--hidden", "8", "--out", files["m.onnx"]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, checkpoint, "--resume", "--force");
        Assert.AreEqual("an earlier run's checkpoint", File.ReadAllText(checkpoint));

        string blocker = files.Write("blocker", "a file where a folder should be");
        (code, error) = CommandLine.Trainer("train", "--steps", "5", "--batch", "16", "--hidden", "8", "--out", files["n.onnx"], "--checkpoint", Path.Combine(blocker, "c.ckpt"));
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, Path.Combine(blocker, "c.ckpt"));
        Assert.IsFalse(error.Contains("train 5/5", StringComparison.Ordinal), "the bad checkpoint path must be found before training");
    }
}

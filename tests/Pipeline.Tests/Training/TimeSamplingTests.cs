using FlowMatching.Distributions;
using FlowMatching.Errors;
using FlowMatching.Interpolants;
using FlowMatching.Training;

namespace FlowMatching.Tests;

/// <summary>The density training draws t from: the tutorial's uniform, or logit-normal.</summary>
[TestClass]
public sealed class TimeSamplingTests
{
    private static InterpolantBatch Draw(TimeSampling? sampling, int size = 20000) =>
        new InterpolantBatchSampler(new StandardNormal(2), new StandardNormal(2), new LinearInterpolant(), seed: 3, timeSampling: sampling).Draw(size);

    [TestMethod]
    public void LogitNormalTimesHaveTheAskedLocationAndScaleOnTheLogitScale()
    {
        InterpolantBatch batch = Draw(TimeSampling.Parse("logit-normal:0.5,0.8"));
        double[] logits = [.. batch.Times.Select(t => Math.Log(t / (1.0 - t)))];
        double mean = logits.Average();
        double std = Math.Sqrt(logits.Select(l => (l - mean) * (l - mean)).Average());
        // Standard errors at 20000 draws: 0.006 for the mean, 0.004 for the deviation.
        Assert.AreEqual(0.5, mean, 0.025);
        Assert.AreEqual(0.8, std, 0.02);
        // Half the mass of U(0, 1) lies in [0.25, 0.75]; logit-normal(0.5, 0.8) puts
        // Phi((ln 3 - 0.5) / 0.8) - Phi((-ln 3 - 0.5) / 0.8) = 0.7728 - 0.0229 = 0.750 there.
        Assert.AreEqual(0.750, batch.Times.Count(t => t is >= 0.25f and <= 0.75f) / 20000.0, 0.02);
    }

    [TestMethod]
    public void UniformIsTheDefaultAndDrawsTheSameBytes()
    {
        InterpolantBatch byDefault = Draw(null, 1000);
        CollectionAssert.AreEqual(byDefault.Times, Draw(TimeSampling.Uniform, 1000).Times);
        CollectionAssert.AreEqual(byDefault.Points, Draw(TimeSampling.Parse("uniform"), 1000).Points);
        Assert.AreEqual(0.5, byDefault.Times.Average(), 0.03);
    }

    [TestMethod]
    public void TheNameReadsBackAsTheSameSampling()
    {
        TimeSampling sampling = TimeSampling.Parse("logit-normal:-0.25,1.5");
        Assert.AreEqual("logit-normal:-0.25,1.5", sampling.ToString());
        Assert.AreEqual(sampling, TimeSampling.Parse(sampling.ToString()));
        Assert.AreEqual(TimeSampling.Uniform, TimeSampling.Parse(TimeSampling.Uniform.ToString()));
    }

    [TestMethod]
    [DataRow("normal")]
    [DataRow("logit-normal:0")]
    [DataRow("logit-normal:0,0")]
    [DataRow("logit-normal:0,-1")]
    [DataRow("logit-normal:x,1")]
    [DataRow("logit-normal:0,1,2")]
    public void OtherNamesAreRefused(string text)
    {
        Assert.ThrowsExactly<InvalidSettingException>(() => TimeSampling.Parse(text));
    }

    [TestMethod]
    [DataRow("--time-sampling", "logit-normal:0")]
    [DataRow("--time-embedding", "fourier:0")]
    public void TheTrainerRefusesABadSettingAsAUsageErrorNamingItsFlag(string flag, string text)
    {
        using var files = new TestFiles();
        var (code, error) = CommandLine.Trainer("train", flag, text, "--steps", "2", "--out", files["m.onnx"]);
        Assert.AreEqual(2, code, error);
        StringAssert.Contains(error, $"{flag} {text}: expected");
        Assert.AreEqual(1, error.Trim().Split('\n').Length, error);
        Assert.AreEqual(0, files.Files.Count());
    }
}

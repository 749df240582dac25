using FlowMatching.Distributions;
using FlowMatching.Io;
using FlowMatching.Metrics;
using FlowMatching.Training;
using FlowMatching.Training.Network;

namespace FlowMatching.Tests;

[TestClass]
public sealed class TrainingQualityTests
{
    [TestMethod]
    public void ShortTrainingOnGmm8ThenOdeSamplingCoversEveryMode()
    {
        var options = new TrainingOptions { Steps = 600, Batch = 512, Hidden = [128, 128, 128], LearningRateStep = 300, Seed = 1, ValidationBatch = 0 };
        using var files = new TestFiles();
        using (Mlp network = Models.Train(options))
        {
            Models.Export(network, options, files["gmm8.onnx"]);
        }

        var (code, error) = CommandLine.Runtime("sample", "--model", files["gmm8.onnx"], "--n", "4000", "--seed", "2", "--provider", "cpu", "--out", files["samples.csv"]);
        Assert.AreEqual(0, code, error);
        PointSet samples = PointCsv.Read(files["samples.csv"], 2);
        Assert.AreEqual(4000, samples.Count);

        ModeCoverage coverage = ModeCoverage.Measure(GaussianMixture.Ring8(), samples);
        Assert.IsTrue(coverage.OnMode >= 0.90, $"only {coverage.OnMode:P1} of samples within 3 std of a mode");
        Assert.IsTrue(coverage.Smallest >= 0.05, $"a mode holds only {coverage.Smallest:P1}: [{string.Join(", ", coverage.Fractions.Select(f => f.ToString("P1")))}]");
    }
}

using System.Text.Json;
using FlowMatching.Distributions;
using FlowMatching.Io;
using FlowMatching.Metrics;
using FlowMatching.Randomness;

namespace FlowMatching.Tests;

[TestClass]
public sealed class EvaluationTests
{
    private static PointSet Draw(IDistribution distribution, int n, ulong seed)
    {
        var values = new float[n * distribution.Dimension];
        distribution.Sample(new RandomStream(seed, 99), values);
        return new PointSet(values, distribution.Dimension);
    }

    [TestMethod]
    public void TargetSamplesSitAtTheNoiseFloorAndShiftedOnesDoNot()
    {
        GaussianMixture ring = GaussianMixture.Ring8();
        PointSet good = Draw(ring, 3000, 5);
        SampleEvaluation atFloor = SampleEvaluation.Measure(ring, good, seed: 1, maxPoints: 3000);
        Assert.IsTrue(atFloor.EnergyRatio < 2.0, $"ratio {atFloor.EnergyRatio}");
        Assert.IsTrue(atFloor.Mmd < 3 * atFloor.MmdFloor, $"mmd {atFloor.Mmd} floor {atFloor.MmdFloor}");

        PointSet shifted = new(good.Values.Select((v, i) => i % 2 == 0 ? v + 1f : v).ToArray(), 2);
        SampleEvaluation off = SampleEvaluation.Measure(ring, shifted, seed: 1, maxPoints: 3000);
        Assert.IsTrue(off.EnergyRatio > 10, $"shifted ratio {off.EnergyRatio}");
        Assert.IsTrue(off.Mmd > 5 * off.MmdFloor);
    }

    [TestMethod]
    public void ModeCoverageCountsNearestModesWithinThreeStd()
    {
        GaussianMixture ring = GaussianMixture.Ring8();
        // Two points at mode 0 (0, 5), one at mode 2 (5, 0), one far from every mode.
        var points = new PointSet([0f, 5f, 0.5f, 5.5f, 5f, 0.1f, 0f, 0f], 2);
        ModeCoverage coverage = ModeCoverage.Measure(ring, points);
        Assert.AreEqual(0.5, coverage.Fractions[0], 1e-12);
        Assert.AreEqual(0.25, coverage.Fractions[2], 1e-12);
        Assert.AreEqual(0.25, coverage.OffMode, 1e-12);
    }

    [TestMethod]
    public void CheckerboardSamplesLieOnTheFilledSquares()
    {
        Assert.AreEqual(1.0, CheckerboardCoverage.InsideFraction(Draw(new Checkerboard(), 5000, 2)), 1e-12);
        double normal = CheckerboardCoverage.InsideFraction(Draw(new StandardNormal(2), 20000, 2));
        Assert.IsTrue(normal is > 0.4 and < 0.6, $"N(0, I) puts {normal} on the squares");
        Assert.IsTrue(Checkerboard.IsInside(0.5, 0.5));
        Assert.IsFalse(Checkerboard.IsInside(2.5, 0.5));
        Assert.IsTrue(Checkerboard.IsInside(2.5, 2.5));
        Assert.IsFalse(Checkerboard.IsInside(9, 0.5));
    }

    [TestMethod]
    public void EvaluateCommandPrintsASummaryAndWritesAReport()
    {
        using var files = new TestFiles();
        PointCsv.Write(files["s.csv"], Draw(GaussianMixture.Ring8(), 1000, 3), overwrite: false);
        var (code, error) = CommandLine.Runtime("evaluate", "--samples", files["s.csv"], "--target", "gmm8", "--report", files["r.json"]);
        Assert.AreEqual(0, code, error);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(files["r.json"]));
        Assert.AreEqual(1000, report.RootElement.GetProperty("Count").GetInt32());
        Assert.IsTrue(report.RootElement.GetProperty("EnergyFloor").GetDouble() > 0);

        (code, error) = CommandLine.Runtime("evaluate", "--samples", files["s.csv"], "--target", "checkerboard", "--report", files["r.json"]);
        Assert.AreEqual(1, code, "an existing report is not overwritten without --force");
        (code, error) = CommandLine.Runtime("evaluate", "--samples", files.Write("bad.csv", "1,2,3\n"), "--target", "gmm8");
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "bad.csv:1");
    }
}

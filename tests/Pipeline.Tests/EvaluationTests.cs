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
    public void VectorisedDiscrepancyMatchesThePairSumsWrittenOut()
    {
        PointSet x = Draw(GaussianMixture.Ring8(), 150, 7);
        PointSet y = Draw(new StandardNormal(2), 130, 8);
        const double h = 1.7;
        Discrepancy measured = new SampleDiscrepancy(x, h).Against(y);

        double Mean(PointSet a, PointSet b, Func<double, double> ofDistance) =>
            Enumerable.Range(0, a.Count).SelectMany(i => Enumerable.Range(0, b.Count).Select(j =>
                ofDistance(Math.Sqrt(Math.Pow(a.Point(i)[0] - b.Point(j)[0], 2) + Math.Pow(a.Point(i)[1] - b.Point(j)[1], 2))))).Average();
        double Kernel(double r) => Math.Exp(-r * r / (2 * h * h));
        Assert.AreEqual(2 * Mean(x, y, r => r) - Mean(x, x, r => r) - Mean(y, y, r => r), measured.Energy, 1e-9);
        Assert.AreEqual(Mean(x, x, Kernel) + Mean(y, y, Kernel) - 2 * Mean(x, y, Kernel), measured.Mmd, 1e-9);
        // Floor: (1/n + 1/m) times the mean distance over distinct pairs of y.
        double distinct = Mean(y, y, r => r) * y.Count / (y.Count - 1);
        Assert.AreEqual((1.0 / x.Count + 1.0 / y.Count) * distinct, measured.Floor.Energy, 1e-9);
    }

    [TestMethod]
    public void MoreTargetDrawsAverageTheSingleDrawRatios()
    {
        GaussianMixture ring = GaussianMixture.Ring8();
        PointSet samples = Draw(ring, 2000, 4);
        SampleEvaluation one = SampleEvaluation.Measure(ring, samples, seed: 9, maxPoints: 2000, targetDraws: 1);
        Assert.AreEqual(one.EnergyRatio, one.EnergyRatioLowest, 1e-12);
        Assert.AreEqual(one.EnergyRatio, one.EnergyRatioHighest, 1e-12);

        SampleEvaluation six = SampleEvaluation.Measure(ring, samples, seed: 9, maxPoints: 2000, targetDraws: 6);
        // The first target set is the same one, so the single-draw range contains its ratio and the mean lies inside the range.
        Assert.IsTrue(six.EnergyRatioLowest <= one.EnergyRatio && one.EnergyRatio <= six.EnergyRatioHighest);
        Assert.IsTrue(six.EnergyRatioLowest < six.EnergyRatio && six.EnergyRatio < six.EnergyRatioHighest,
            $"{six.EnergyRatioLowest} {six.EnergyRatio} {six.EnergyRatioHighest}");
        Assert.AreNotEqual(one.Energy, six.Energy);
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
        Assert.AreEqual(1000, report.RootElement.GetProperty("SampleCount").GetInt32());

        var (_, summary, _) = CommandLine.RuntimeWithOutput("evaluate", "--samples", files["s.csv"], "--max-points", "500", "--target-draws", "2");
        StringAssert.Contains(summary, "the first 500 of 1000 samples (coverage: all of them) against 2 fresh gmm8 sets");
        Assert.AreEqual(SampleEvaluation.DefaultTargetDraws, report.RootElement.GetProperty("TargetDraws").GetInt32());
        Assert.IsTrue(report.RootElement.GetProperty("EnergyFloor").GetDouble() > 0);

        (code, error) = CommandLine.Runtime("evaluate", "--samples", files["s.csv"], "--target", "checkerboard", "--report", files["r.json"]);
        Assert.AreEqual(1, code, "an existing report is not overwritten without --force");
        (code, error) = CommandLine.Runtime("evaluate", "--samples", files.Write("bad.csv", "1,2,3\n"), "--target", "gmm8");
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "bad.csv:1");
        (code, error) = CommandLine.Runtime("evaluate", "--samples", files["s.csv"], "--target-draws", "0");
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "--target-draws");
    }
}

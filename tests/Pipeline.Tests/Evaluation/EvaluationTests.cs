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
    [DataRow(0.0)]
    [DataRow(0.5)]
    [DataRow(1.5)]
    public void DiscrepanciesOfTwoGaussiansMatchTheirClosedForms(double shift)
    {
        // X ~ N(0, 1), Y ~ N(m, 1) in one dimension. X - Y ~ N(-m, 2), and for Z ~ N(mu, s^2)
        // E|Z| = s sqrt(2/pi) exp(-mu^2 / 2s^2) + mu (1 - 2 Phi(-mu/s)); so the energy distance is
        // 2 E|X - Y| - 2 E|X - X'| with E|X - X'| = 2 / sqrt(pi). With a Gaussian kernel of width h,
        // E k = h / sqrt(h^2 + 2) exp(-mu^2 / 2(h^2 + 2)), so MMD^2 = 2 h / sqrt(h^2 + 2) (1 - exp(-m^2 / 2(h^2 + 2))).
        // The floor is the energy statistic's expectation between two sets of the same law: (1/n + 1/n) E|X - X'|.
        const int n = 4000;
        const double h = 1.3;
        var normal = new StandardNormal(1);
        var xs = new float[n];
        var ys = new float[n];
        normal.Sample(new RandomStream(21, 1), xs);
        normal.Sample(new RandomStream(21, 2), ys);
        PointSet x = new(xs, 1), y = new(ys.Select(v => v + (float)shift).ToArray(), 1);
        Discrepancy measured = new SampleDiscrepancy(x, h).Against(y);

        double s2 = Math.Sqrt(2);
        double meanAbs = s2 * Math.Sqrt(2 / Math.PI) * Math.Exp(-shift * shift / 4) + shift * (1 - 2 * NormalCdf(-shift / s2));
        double sameLaw = 2 / Math.Sqrt(Math.PI);
        double energy = 2 * meanAbs - 2 * sameLaw;
        double mmd = 2 * h / Math.Sqrt(h * h + 2) * (1 - Math.Exp(-shift * shift / (2 * (h * h + 2))));
        double floor = 2.0 / n * sameLaw;
        // Sampling error at n = 4000: a few times the floor for equal laws (a degenerate statistic, O(1/n)),
        // plus O(1/sqrt n) once the laws differ.
        Assert.AreEqual(energy + floor, measured.Energy, 4 * floor + 0.015 * shift, $"energy at shift {shift}");
        Assert.AreEqual(mmd, measured.Mmd, 0.004 + 0.05 * mmd, $"MMD at shift {shift}");
        Assert.AreEqual(floor, measured.Floor.Energy, 0.05 * floor, "energy floor");
    }

    // Phi by the complementary error function's Abramowitz-Stegun 7.1.26 form (|error| < 1.5e-7).
    private static double NormalCdf(double z)
    {
        double u = Math.Abs(z) / Math.Sqrt(2);
        double k = 1 / (1 + 0.3275911 * u);
        double erfc = k * (0.254829592 + k * (-0.284496736 + k * (1.421413741 + k * (-1.453152027 + k * 1.061405429)))) * Math.Exp(-u * u);
        return z >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
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

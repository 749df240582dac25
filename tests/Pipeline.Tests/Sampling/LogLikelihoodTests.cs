using FlowMatching.Distributions;
using FlowMatching.Io;
using FlowMatching.Randomness;

namespace FlowMatching.Tests;

[TestClass]
public sealed class LogLikelihoodTests
{
    private static PointSet TargetPoints(int n, ulong seed)
    {
        var values = new float[2 * n];
        GaussianMixture.Ring8().Sample(new RandomStream(seed, 77), values);
        return new PointSet(values, 2);
    }

    /// <summary>The logp column of a logprob output file.</summary>
    internal static double[] LogP(string path) => File.ReadAllLines(path)[1..].Select(l => double.Parse(l.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    [TestMethod]
    [DataRow("rk4", "exact", 0.02)]
    [DataRow("dopri5", "exact", 0.02)]
    [DataRow("rk4", "hutchinson", 0.3)]
    public void ExactFieldRecoversTheMixtureLogDensity(string method, string divergence, double tolerance)
    {
        using var files = new TestFiles();
        PointSet points = TargetPoints(2000, 1);
        PointCsv.Write(files["x.csv"], points, false);
        string[] probes = divergence == "hutchinson" ? ["--probes", "8"] : [];
        var (code, error) = CommandLine.Runtime(["logprob", "--model", "exact:gmm8", "--in", files["x.csv"], "--out", files["lp.csv"], "--method", method, "--divergence", divergence, .. probes]);
        Assert.AreEqual(0, code, error);
        double[] logp = LogP(files["lp.csv"]);
        GaussianMixture ring = GaussianMixture.Ring8();
        double meanAbsoluteError = Enumerable.Range(0, points.Count).Average(i => Math.Abs(logp[i] - ring.LogDensity(points.Point(i))));
        Assert.IsTrue(meanAbsoluteError <= tolerance, $"{method}/{divergence}: mean |error| {meanAbsoluteError} nats");
        CollectionAssert.AreEqual(new[] { "x0", "x1", "logp" }, File.ReadLines(files["lp.csv"]).First().Split(','));
    }

    [TestMethod]
    public void MixtureEntropyIsTheKnownValue()
    {
        // The tutorial's ring: entropy 4.186 nats (the figure the trained model's NLL is compared with).
        PointSet points = TargetPoints(200000, 2);
        GaussianMixture ring = GaussianMixture.Ring8();
        double entropy = -Enumerable.Range(0, points.Count).Average(i => ring.LogDensity(points.Point(i)));
        Assert.AreEqual(4.186, entropy, 0.01);
    }
}

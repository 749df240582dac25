using FlowMatching.Io;

namespace FlowMatching.Tests;

/// <summary>sample's output format follows --out's name, and no file beside it is left to be paired wrongly.</summary>
[TestClass]
public sealed class OutputFormatTests
{
    [TestMethod]
    public void AnImageRunNamedPngWritesTheGridAndTheArraysBesideIt()
    {
        using var files = new TestFiles();
        string[] run = ["sample", "--model", "fashion-mnist", "--class", "all", "--n", "4", "--method", "euler", "--steps", "2"];
        var (code, error) = CommandLine.Runtime([.. run, "--out", files["dress.png"]]);
        Assert.AreEqual(0, code, error);
        CollectionAssert.AreEquivalent(new[] { "dress.png", "dress.npy", "dress.labels.npy" }, files.Files.ToArray());
        (code, error) = CommandLine.Runtime([.. run, "--out", files["other.npy"]]);
        Assert.AreEqual(0, code, error);
        CollectionAssert.AreEqual(File.ReadAllBytes(files["other.npy"]), File.ReadAllBytes(files["dress.npy"]));
        StringAssert.Contains(error, "not clipped");
    }

    [TestMethod]
    public void APointRunNamedNpyWritesTheSameNumbersAsItsCsv()
    {
        using var files = new TestFiles();
        Assert.AreEqual(0, CommandLine.Runtime("sample", "--model", "exact:gmm8", "--n", "30", "--seed", "2", "--out", files["s.csv"]).ExitCode);
        var (code, error) = CommandLine.Runtime("sample", "--model", "exact:gmm8", "--n", "30", "--seed", "2", "--out", files["s.npy"]);
        Assert.AreEqual(0, code, error);
        (long[] shape, float[] values) = NpyFile.ReadFloat32(files["s.npy"]);
        CollectionAssert.AreEqual(new long[] { 30, 2 }, shape);
        CollectionAssert.AreEqual(PointCsv.Read(files["s.csv"]).Values, values);
    }

    [TestMethod]
    public void StartingPointsFromNpyTransportLikeTheSamePointsFromCsv()
    {
        using var files = new TestFiles();
        float[] start = [.. Enumerable.Range(0, 24).Select(i => (i % 7 - 3) * 0.4f)];
        NpyFile.Save(files["z.npy"], [12, 2], start, overwrite: false);
        NpyFile.Save(files["wide.npy"], [8, 3], start, overwrite: false);
        File.WriteAllLines(files["z.csv"], ["x0,x1", .. Enumerable.Range(0, 12).Select(i => FormattableString.Invariant($"{start[2 * i]},{start[2 * i + 1]}"))]);
        string[] run = ["sample", "--model", "gmm8", "--provider", "cpu", "--steps", "10"];
        var (code, error) = CommandLine.Runtime([.. run, "--init", files["z.csv"], "--out", files["from-csv.csv"]]);
        Assert.AreEqual(0, code, error);
        (code, error) = CommandLine.Runtime([.. run, "--init", files["z.npy"], "--out", files["from-npy.csv"]]);
        Assert.AreEqual(0, code, error);
        CollectionAssert.AreEqual(File.ReadAllBytes(files["from-csv.csv"]), File.ReadAllBytes(files["from-npy.csv"]));
        Assert.AreEqual(12, PointCsv.Read(files["from-npy.csv"]).Count);

        (code, error) = CommandLine.Runtime([.. run, "--init", files["wide.npy"], "--out", files["bad.csv"]]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "--init", "wide.npy", "[8, 3]", "[N, 2]");
        Assert.IsFalse(File.Exists(files["bad.csv"]));
    }

    [TestMethod]
    public void APointModelsSamplesAreNotWrittenAsTextIntoAPngName()
    {
        using var files = new TestFiles();
        var (code, error) = CommandLine.Runtime("sample", "--model", "exact:gmm8", "--n", "5", "--out", files["s.png"]);
        Assert.AreEqual(1, code);
        ErrorLines.AssertOne(error, "--out", "plot samples");
        Assert.AreEqual(0, files.Files.Count());
    }

    [TestMethod]
    public void AnUnconditionalRunNeverLeavesAnEarlierRunsClassesBesideItsSamples()
    {
        using var files = new TestFiles();
        string[] run = ["sample", "--model", "fashion-mnist", "--n", "2", "--method", "euler", "--steps", "2", "--autoguidance", "1", "--out", files["x.npy"]];
        Assert.AreEqual(0, CommandLine.Runtime([.. run, "--class", "all"]).ExitCode);
        Assert.IsTrue(File.Exists(files["x.labels.npy"]));
        var (code, error) = CommandLine.Runtime([.. run, "--force", "--class", "none"]);
        Assert.AreEqual(0, code, error);
        Assert.IsFalse(File.Exists(files["x.labels.npy"]), "the stale classes would be paired with the unconditional samples");

        Assert.AreEqual(0, CommandLine.Runtime([.. run, "--force", "--class", "all"]).ExitCode);
        (code, error) = CommandLine.Runtime([.. run[..^2], "--out", files["x.npy"]]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "x.labels.npy", "--force");
        Assert.IsTrue(File.Exists(files["x.labels.npy"]));
    }
}

using System.Buffers.Binary;
using FlowMatching.Distributions;
using FlowMatching.Io;
using FlowMatching.Randomness;
using FlowMatching.Runtime.Cli.Figures;
using ScottPlot;
using ScottPlot.Plottables;

namespace FlowMatching.Tests;

[TestClass]
public sealed class FigureTests
{
    private static void AssertPng(string path, int width, int height)
    {
        byte[] bytes = File.ReadAllBytes(path);
        CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.AreEqual("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.AreEqual(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.AreEqual(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    [TestMethod]
    public void EveryFigureTypeRendersAPngOfTheAskedSize()
    {
        using var files = new TestFiles();
        var values = new float[2000];
        GaussianMixture.Ring8().Sample(new RandomStream(1, 1), values);
        PointCsv.Write(files["a.csv"], new PointSet(values, 2), false);
        PointCsv.Write(files["b.csv"], new PointSet(values.Reverse().ToArray(), 2), false);
        files.Write("loss.csv", "step,loss,lr,val_loss\n1,0.5,0.002,\n2,-1.5,0.002,-1.2\n3,-2,0.002,\n");
        Assert.AreEqual(0, CommandLine.Runtime("sample", "--model", "exact:gmm8", "--n", "50", "--steps", "10", "--out", files["s.csv"], "--trajectory", files["traj.csv"], "--trajectory-count", "20").ExitCode);
        Assert.AreEqual(20 * 11 + 1, File.ReadAllLines(files["traj.csv"]).Length);

        string[][] figures =
        [
            ["distributions", "--n", "500"],
            ["distributions", "--data", files["a.csv"]],
            ["interpolant", "--n", "500", "--target", "checkerboard", "--interpolant", "trig"],
            ["loss", "--loss-csv", files["loss.csv"]],
            ["samples", "--samples", files["a.csv"], files["b.csv"], "--title", "ODE", "SDE"],
            ["trajectories", "--trajectory", files["traj.csv"], "--samples", files["s.csv"]],
        ];
        foreach (string[] figure in figures)
        {
            string png = files[$"{figure[0]}-{Array.IndexOf(figures, figure)}.png"];
            var (code, error) = CommandLine.Runtime(["plot", .. figure, "--out", png, "--width", "640", "--height", "320"]);
            Assert.AreEqual(0, code, $"{string.Join(" ", figure)}: {error}");
            AssertPng(png, 640, 320);
        }
    }

    [TestMethod]
    public void BadFigureInputFailsClearlyWithoutAFile()
    {
        using var files = new TestFiles();
        files.Write("loss.csv", "step,loss\n1,0.5\n2,abc\n");
        files.Write("noloss.csv", "step,value\n1,0.5\n");
        files.Write("one.csv", "x0\n1\n2\n");
        (string[] Args, string Mentions)[] cases =
        [
            (["plot", "loss", "--loss-csv", files["loss.csv"], "--out", files["l.png"]], "loss.csv:3"),
            (["plot", "loss", "--loss-csv", files["noloss.csv"], "--out", files["l.png"]], "'loss' column"),
            (["plot", "samples", "--samples", files["missing.csv"], "--out", files["l.png"]], "missing.csv"),
            (["plot", "samples", "--samples", files["one.csv"], "--out", files["l.png"]], "at least 2 columns"),
            (["plot", "distributions", "--out", files["l.jpg"]], "l.jpg"),
        ];
        foreach (var (args, mentions) in cases)
        {
            var (code, error) = CommandLine.Runtime(args);
            Assert.AreEqual(1, code, error);
            StringAssert.Contains(error, mentions);
        }

        Assert.IsFalse(files.Files.Any(f => f.EndsWith(".png") || f.EndsWith(".jpg") || f.EndsWith(".tmp")), string.Join(", ", files.Files));
    }

    [TestMethod]
    public void LossCurvesUseTheStepColumnWhereverItIs()
    {
        using var files = new TestFiles();
        // Columns in another order than the trainer writes them: the step column is not the first.
        string path = files.Write("loss.csv", "loss,val_loss,step\n0.5,,10\n-1.5,-1.2,20\n-2,,30\n-2.5,-2.1,40\n");
        Plot plot = LossFigure.Draw(NumericTable.Read(path, "step", "loss"), path).Panel(0);
        var series = plot.GetPlottables().OfType<Scatter>().Select(s => s.Data.GetScatterPoints()).ToArray();
        Assert.AreEqual(2, series.Length);
        CollectionAssert.AreEqual(new double[] { 10, 20, 30, 40 }, series[0].Select(p => p.X).ToArray());
        CollectionAssert.AreEqual(new double[] { 0.5, -1.5, -2, -2.5 }, series[0].Select(p => p.Y).ToArray());
        CollectionAssert.AreEqual(new double[] { 20, 40 }, series[1].Select(p => p.X).ToArray());
        CollectionAssert.AreEqual(new double[] { -1.2, -2.1 }, series[1].Select(p => p.Y).ToArray());
    }

    [TestMethod]
    public void SweepFiguresDrawASeriesPerTableSortedByTheSetting()
    {
        using var files = new TestFiles();
        string euler = files.Write("euler.csv", "steps,nfe,frechet_ratio\n40,40,3.5\n10,10,9\n20,20,5\n");
        // The sweep script's tables carry the guidance interval as text beside the numbers.
        string heun = files.Write("heun.csv", "guidance_interval,steps,nfe,frechet_ratio\n\"0,1\",20,40,2.5\n");
        Plot plot = SweepFigure.Draw([("euler", NumericTable.Read(euler)), ("heun", NumericTable.Read(heun, "nfe", "frechet_ratio"))], "nfe", ["frechet_ratio"]).Panel(0);
        var series = plot.GetPlottables().OfType<Scatter>().ToArray();
        CollectionAssert.AreEqual(new[] { "euler", "heun" }, series.Select(s => s.LegendText).ToArray());
        CollectionAssert.AreEqual(new double[] { 10, 20, 40 }, series[0].Data.GetScatterPoints().Select(p => p.X).ToArray());
        CollectionAssert.AreEqual(new double[] { 9, 5, 3.5 }, series[0].Data.GetScatterPoints().Select(p => p.Y).ToArray());

        var (code, error) = CommandLine.Runtime("plot", "sweep", "--table", euler, heun, "--x", "nfe", "--y", "frechet_ratio", "--out", files["s.png"]);
        Assert.AreEqual(0, code, error);
        AssertPng(files["s.png"], 1000, 500);
        (code, error) = CommandLine.Runtime("plot", "sweep", "--table", euler, "--x", "nfe", "--y", "recall", "--out", files["t.png"]);
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, "euler.csv");
        StringAssert.Contains(error, "'recall'");
        Assert.IsFalse(File.Exists(files["t.png"]));
        (code, error) = CommandLine.Runtime("plot", "sweep", "--table", heun, "--x", "guidance_interval", "--y", "frechet_ratio", "--out", files["u.png"]);
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, "heun.csv:2: '0,1' is not a finite number");
        Assert.IsFalse(File.Exists(files["u.png"]));
    }

    [TestMethod]
    public void DistributionsPanelsSpanTheTutorialsBaseRangeAndTheAskedLimit()
    {
        var basePoints = new PointSet([0f, 0f, 1f, -1f, 2f, 0.5f], 2);
        var targetPoints = new PointSet([5f, 0f, -5f, 1f], 2);
        FigureCanvas canvas = DistributionsFigure.Draw(basePoints, targetPoints, limit: 6);
        AxisLimits baseLimits = canvas.Panel(0).Axes.GetLimits();
        AxisLimits targetLimits = canvas.Panel(1).Axes.GetLimits();
        Assert.AreEqual((-4.0, 4.0, -4.0, 4.0), (baseLimits.Left, baseLimits.Right, baseLimits.Bottom, baseLimits.Top));
        Assert.AreEqual((-6.0, 6.0, -6.0, 6.0), (targetLimits.Left, targetLimits.Right, targetLimits.Bottom, targetLimits.Top));
        Assert.AreEqual(3, canvas.Panel(0).GetPlottables().OfType<Scatter>().Single().Data.GetScatterPoints().Count);
        CollectionAssert.AreEqual(new double[] { 5, -5 }, canvas.Panel(1).GetPlottables().OfType<Scatter>().Single().Data.GetScatterPoints().Select(p => p.X).ToArray());

        using var files = new TestFiles();
        var (code, error) = CommandLine.Runtime("plot", "distributions", "--limit", "-1", "--out", files["d.png"]);
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, "--limit");
        Assert.IsFalse(File.Exists(files["d.png"]));
    }
}

using FlowMatching.Contract;
using FlowMatching.Distributions;
using FlowMatching.Interpolants;
using FlowMatching.Io;
using FlowMatching.Randomness;
using FlowMatching.Training;
using FlowMatching.Training.Network;

namespace FlowMatching.Tests;

[TestClass]
public sealed class TrainingOptionsTests
{
    [TestMethod]
    [DataRow(InterpolantKind.Trigonometric, "none", 0.0)]
    [DataRow(InterpolantKind.Linear, "fourier:6", 0.0)]
    [DataRow(InterpolantKind.Trigonometric, "fourier:3", 0.9)]
    public void EveryVariantExportsWithParity(InterpolantKind interpolant, string timeEmbedding, double ema)
    {
        var options = new TrainingOptions
        {
            Steps = 40,
            Batch = 256,
            Hidden = [48, 48],
            Interpolant = interpolant,
            TimeEmbedding = TimeEmbedding.Parse(timeEmbedding),
            EmaDecay = ema,
            Seed = 6,
            ValidationBatch = 0,
        };
        using var files = new TestFiles();
        using Mlp network = Models.Train(options);
        string path = Models.Export(network, options, files["m.onnx"]);

        var (worst, scale) = Models.ParityError(network, path);
        Assert.IsTrue(worst <= 1e-5 * scale, $"max |torch - onnx| = {worst} at scale {scale}");
    }

    [TestMethod]
    public void EmaIsTheDecayWeightedAverageOfTheRawWeightsComputedByHand()
    {
        // The raw run is deterministic and keyed by step, so the raw weights after k steps of a longer run are
        // those of a k-step run; the average starts at the initial weights and mixes in each step's weights.
        const double decay = 0.7;
        var raw = new TrainingOptions { Steps = 3, Batch = 64, Hidden = [8], Seed = 2, ValidationBatch = 0 };
        TorchSharp.torch.random.manual_seed(raw.Seed);
        float[] expected;
        using (var initial = new Mlp(2, raw.Hidden, raw.Activation))
        {
            expected = Flat(initial);
        }

        for (int step = 1; step <= raw.Steps; step++)
        {
            using Mlp afterStep = Models.Train(raw with { Steps = step });
            float[] weights = Flat(afterStep);
            for (int i = 0; i < expected.Length; i++)
            {
                expected[i] = (float)(decay * expected[i] + (1 - decay) * weights[i]);
            }
        }

        using Mlp averaged = Models.Train(raw with { EmaDecay = decay });
        float[] actual = Flat(averaged);
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.IsTrue(worst < 1e-6, $"max |hand - trainer| = {worst}");
        using Mlp plain = Models.Train(raw);
        Assert.IsTrue(Flat(plain).Zip(actual, (p, q) => Math.Abs(p - q)).Max() > 1e-4, "the average must differ from the raw weights");
    }

    private static float[] Flat(Mlp network) =>
        network.ToWeights().Layers.SelectMany(layer => layer.Weight.Concat(layer.Bias)).ToArray();

    [TestMethod]
    [DataRow("moons")]
    [DataRow("spirals")]
    [DataRow("rings")]
    public void ToyTargetsAreCentredAndFitTheFigureAxes(string name)
    {
        IDistribution target = TargetCatalog.Parse(name);
        var values = new float[2 * 20000];
        target.Sample(new RandomStream(1, 1), values);
        var points = new PointSet(values, 2);
        Assert.AreEqual(0, Enumerable.Range(0, points.Count).Average(i => points.Point(i)[0]), 0.5);
        Assert.AreEqual(0, Enumerable.Range(0, points.Count).Average(i => points.Point(i)[1]), 0.5);
        Assert.IsTrue(values.All(v => Math.Abs(v) < 8), $"{name} leaves [-8, 8]");
        if (name == "rings")
        {
            double[] radii = Enumerable.Range(0, points.Count).Select(i => Math.Sqrt(points.Point(i)[0] * points.Point(i)[0] + points.Point(i)[1] * points.Point(i)[1])).ToArray();
            foreach (double r in new[] { 2.0, 4.0, 6.0 })
            {
                Assert.AreEqual(1.0 / 3, radii.Count(x => Math.Abs(x - r) < 0.75) / (double)radii.Length, 0.02);
            }
        }
    }

    [TestMethod]
    public void TrainingOnAFiveDimensionalCsvSamplesItsMeansAndCovariances()
    {
        // Two Gaussian clusters in 5-D, in units far from standard (offsets near 100, spreads up to 20),
        // so sampling in the user's units depends on the stored standardisation.
        using var files = new TestFiles();
        double[] offset = [100, -50, 3, 0, 20];
        double[] spread = [20, 5, 0.5, 1, 2];
        const int n = 4000;
        var random = new RandomStream(5, 5);
        var data = new float[5 * n];
        for (int i = 0; i < n; i++)
        {
            double side = i % 2 == 0 ? 1 : -1;
            for (int j = 0; j < 5; j++)
            {
                data[5 * i + j] = (float)(offset[j] + spread[j] * (side + 0.5 * random.NextGaussian()));
            }
        }

        PointCsv.Write(files["data.csv"], new PointSet(data, 5), false);
        var (code, error) = CommandLine.Trainer("train", "--target", $"csv:{files["data.csv"]}", "--steps", "1500", "--batch", "512", "--hidden", "128,128,128", "--lr-step", "600", "--out", files["m.onnx"]);
        Assert.AreEqual(0, code, error);
        (code, error) = CommandLine.Runtime("sample", "--model", files["m.onnx"], "--n", "4000", "--method", "rk4", "--steps", "40", "--provider", "cpu", "--out", files["s.csv"]);
        Assert.AreEqual(0, code, error);
        PointSet samples = PointCsv.Read(files["s.csv"], 5);
        for (int j = 0; j < 5; j++)
        {
            double mean = Enumerable.Range(0, samples.Count).Average(i => samples.Point(i)[j]);
            double sd = Math.Sqrt(Enumerable.Range(0, samples.Count).Average(i => Math.Pow(samples.Point(i)[j] - mean, 2)));
            double trueSd = spread[j] * Math.Sqrt(1 + 0.25);
            Assert.AreEqual(offset[j], mean, 0.1 * trueSd, $"mean of x{j}");
            Assert.AreEqual(trueSd, sd, 0.12 * trueSd, $"std of x{j}");
        }

        // The clusters make columns 0 and 1 correlated with correlation 1 / 1.25 = 0.8.
        double Correlation(int a, int b)
        {
            double ma = Enumerable.Range(0, samples.Count).Average(i => samples.Point(i)[a]);
            double mb = Enumerable.Range(0, samples.Count).Average(i => samples.Point(i)[b]);
            double cov = Enumerable.Range(0, samples.Count).Average(i => (samples.Point(i)[a] - ma) * (samples.Point(i)[b] - mb));
            double va = Enumerable.Range(0, samples.Count).Average(i => Math.Pow(samples.Point(i)[a] - ma, 2));
            double vb = Enumerable.Range(0, samples.Count).Average(i => Math.Pow(samples.Point(i)[b] - mb, 2));
            return cov / Math.Sqrt(va * vb);
        }

        Assert.AreEqual(0.8, Correlation(0, 1), 0.08);
        Assert.AreEqual(0.8, Correlation(2, 4), 0.08);
    }

    [TestMethod]
    public void BadCsvDataIsRejectedNamingTheLine()
    {
        using var files = new TestFiles();
        files.Write("d.csv", "a,b,c\n1,2,3\n4,5\n");
        var (code, error) = CommandLine.Trainer("train", "--target", $"csv:{files["d.csv"]}", "--steps", "1", "--out", files["m.onnx"]);
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "d.csv:3");
        files.Write("flat.csv", "1,2\n1,3\n1,4\n");
        (code, error) = CommandLine.Trainer("train", "--target", $"csv:{files["flat.csv"]}", "--steps", "1", "--out", files["m.onnx"]);
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "x0 is constant");
        Assert.IsFalse(File.Exists(files["m.onnx"]));
    }
}

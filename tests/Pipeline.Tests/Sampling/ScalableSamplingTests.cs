using System.Globalization;
using FlowMatching.Distributions;
using FlowMatching.Interpolants;
using FlowMatching.Runtime.Integrators;
using FlowMatching.Training;
using FlowMatching.Training.Network;
using FlowMatching.Velocity;

namespace FlowMatching.Tests;

[TestClass]
public sealed class ScalableSamplingTests
{
    private static string TrainedModel(TestFiles files)
    {
        var options = new TrainingOptions { Steps = 20, Batch = 128, Hidden = [64, 64], Seed = 4, ValidationBatch = 0 };
        using Mlp network = Models.Train(options);
        return Models.Export(network, options, files["m.onnx"]);
    }

    private static string[] Body(string path) => File.ReadAllLines(path)[1..];

    [TestMethod]
    public void ImagesAreIntegratedInSmallerChunksThanPointsByDefault()
    {
        var cpu = new Runtime.Options.ModelLoadOptions { Provider = Runtime.Options.ExecutionProviderKind.Cpu };
        using var points = Runtime.FlowModel.Load(RepositoryFiles.Path("models", "gmm8.onnx"), cpu);
        using var images = Runtime.FlowModel.Load(RepositoryFiles.Path("models", "fashion-mnist.onnx"), cpu);
        Assert.AreEqual((1000, 100), (points.DefaultChunk, images.DefaultChunk));
        var options = new Runtime.Options.OdeSamplingOptions { Solver = new() { Steps = 2 }, Conditioning = new(Runtime.Options.ClassSelection.All) };
        CollectionAssert.AreEqual(images.Sample(3, options with { Chunk = 1 }, seed: 2), images.Sample(3, options, seed: 2));
        Assert.ThrowsExactly<Errors.InvalidSettingException>(() => images.Sample(3, options with { Chunk = 0 }));
    }

    [TestMethod]
    [DataRow("ode", "euler")]
    [DataRow("sde", "em")]
    [DataRow("sde", "heun")]
    public void ChunkSizeThreadsAndSplitsDoNotChangeABit(string sampler, string method)
    {
        using var files = new TestFiles();
        string model = TrainedModel(files);
        string[] Run(string name, params string[] extra)
        {
            var (code, error) = CommandLine.Runtime(["sample", "--model", model, "--provider", "cpu", "--sampler", sampler, "--method", method, "--steps", "20", "--out", files[name], .. extra, .. extra.Contains("--seed") ? Array.Empty<string>() : ["--seed", "9"]]);
            Assert.AreEqual(0, code, error);
            return Body(files[name]);
        }

        string[] single = Run("single.csv", "--n", "1000");
        CollectionAssert.AreEqual(single, Run("chunked.csv", "--n", "1000", "--chunk", "137"));
        CollectionAssert.AreEqual(single, Run("one-thread.csv", "--n", "1000", "--chunk", "250", "--threads", "1"));
        string[] first = Run("part1.csv", "--n", "400");
        string[] second = Run("part2.csv", "--n", "600", "--offset", "400", "--chunk", "333");
        CollectionAssert.AreEqual(single, first.Concat(second).ToArray());
        CollectionAssert.AreNotEqual(single, Run("other-seed.csv", "--n", "1000", "--seed", "10"));
    }

    // What the library's dopri5 takes for the CLI's 100 default starting points on the exact field, checked
    // against its own bookkeeping: one evaluation to start, six per attempted step.
    private static int Dopri5Evaluations()
    {
        var field = new GaussianMixtureVelocityField(GaussianMixture.Ring8(), new LinearInterpolant());
        var points = new float[200];
        for (int i = 0; i < 100; i++)
        {
            new StandardNormal(2).SampleIndexed(0, i, points.AsSpan(2 * i, 2));
        }

        var solver = new DormandPrince5Solver(new Tolerances());
        int evaluations = solver.Solve(field, points, 0, 1);
        Assert.AreEqual(1 + 6 * (solver.AcceptedSteps + solver.RejectedSteps), evaluations);
        return evaluations;
    }

    [TestMethod]
    public void Dopri5DependsOnTheChunkingOnlyWithinItsTolerance()
    {
        // The README's statement: dopri5 measures its error over a chunk, so another --chunk may move samples,
        // by about the tolerance; the same chunking gives the same bytes.
        using var files = new TestFiles();
        string[] Run(string name, int chunk)
        {
            var (code, error) = CommandLine.Runtime("sample", "--model", "exact:gmm8", "--method", "dopri5", "--n", "300", "--chunk", $"{chunk}", "--out", files[name]);
            Assert.AreEqual(0, code, error);
            return Body(files[name]);
        }

        string[] whole = Run("whole.csv", 300);
        CollectionAssert.AreEqual(whole, Run("again.csv", 300));
        string[] chunked = Run("chunked.csv", 37);
        double worst = whole.Zip(chunked, (a, b) => a.Split(',').Zip(b.Split(','), (p, q) => Math.Abs(double.Parse(p, CultureInfo.InvariantCulture) - double.Parse(q, CultureInfo.InvariantCulture))).Max()).Max();
        Assert.IsTrue(worst > 0, "dopri5 gave identical samples for another chunking: the README's exception would be wrong");
        Assert.IsTrue(worst < 1e-3, $"chunking moved a sample by {worst}, more than the tolerance allows");
    }

    [TestMethod]
    public void EveryMethodReportsItsEvaluations()
    {
        using var files = new TestFiles();
        (string[] Args, string Nfe)[] runs =
        [
            (["--method", "euler", "--steps", "10"], "NFE 10 "),
            (["--method", "midpoint", "--steps", "10"], "NFE 20 "),
            (["--method", "heun", "--steps", "10"], "NFE 20 "),
            (["--method", "rk4", "--steps", "10"], "NFE 40 "),
            (["--sampler", "sde", "--method", "heun", "--steps", "10", "--denoise"], "NFE 21 "),
            (["--method", "dopri5"], $"NFE {Dopri5Evaluations()} "),
        ];
        foreach (var (args, nfe) in runs)
        {
            var (code, error) = CommandLine.Runtime(["sample", "--model", "exact:gmm8", "--n", "100", "--out", files[$"{args[1]}.csv"], "--force", .. args]);
            Assert.AreEqual(0, code, error);
            StringAssert.Contains(error, nfe);
        }
    }
}

using FlowMatching.Contract;
using FlowMatching.Errors;
using FlowMatching.Io;
using FlowMatching.Runtime;
using FlowMatching.Runtime.Options;
using FlowMatching.Runtime.Sampling;

namespace FlowMatching.Tests;

/// <summary>The runtime as a library: only public API types here, no command-line code, except to compare with the CLI.</summary>
[TestClass]
public sealed class LibraryApiTests
{
    private static readonly ModelLoadOptions Cpu = new() { Provider = ExecutionProviderKind.Cpu };

    [TestMethod]
    [DataRow("ode")]
    [DataRow("sde")]
    public void ApiSamplesEqualTheCliCsvByteForByte(string sampler)
    {
        using var files = new TestFiles();
        string shipped = RepositoryFiles.Path("models", "gmm8.onnx");
        SamplingOptions options = sampler == "ode" ? new OdeSamplingOptions() : new SdeSamplingOptions();
        float[] samples;
        using (VelocityModel model = VelocityModel.Load(shipped, Cpu))
        {
            Assert.AreEqual(2, model.Dimension);
            Assert.AreEqual("gmm8", model.Contract!.Target);
            samples = model.Sample(1000, options with { Chunk = 300 }, seed: 7, offset: 5);
        }

        PointCsv.Write(files["api.csv"], new PointSet(samples, 2), overwrite: false);
        var (code, error) = CommandLine.Runtime("sample", "--model", shipped, "--provider", "cpu", "--sampler", sampler, "--n", "1000", "--seed", "7", "--offset", "5", "--out", files["cli.csv"]);
        Assert.AreEqual(0, code, error);
        CollectionAssert.AreEqual(File.ReadAllBytes(files["cli.csv"]), File.ReadAllBytes(files["api.csv"]));
    }

    [TestMethod]
    public void TheLibraryFollowsTheShippedImageModelsRecommendationAsTheCliDoes()
    {
        using var files = new TestFiles();
        string shipped = RepositoryFiles.Path("models", "fashion-mnist.onnx");
        var asked = new OdeSamplingOptions { Conditioning = new Conditioning(ClassSelection.All) };
        float[] recommended, plain;
        using (VelocityModel model = VelocityModel.Load(shipped, Cpu))
        {
            ResolvedSampling resolved = model.Resolve(asked);
            CollectionAssert.AreEqual(new[] { RecommendedSetting.Solver, RecommendedSetting.Guidance, RecommendedSetting.GuidanceInterval }, resolved.Adopted.ToArray());
            Assert.AreEqual(OdeMethod.Heun, ((OdeSamplingOptions)resolved.Options).Solver.Method);
            recommended = model.Sample(10, asked, seed: 4);
            plain = model.Sample(10, asked with { UseRecommendation = false }, seed: 4);
        }

        var (code, error) = CommandLine.Runtime("sample", "--model", shipped, "--provider", "cpu", "--class", "all", "--n", "10", "--seed", "4", "--out", files["r.npy"]);
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(error, "recommends ode heun 20 steps");
        (code, error) = CommandLine.Runtime("sample", "--model", shipped, "--provider", "cpu", "--class", "all", "--n", "10", "--seed", "4", "--out", files["p.npy"],
            "--method", "euler", "--steps", "80", "--guidance", "1", "--guidance-interval", "0,1");
        Assert.AreEqual(0, code, error);
        Assert.IsFalse(error.Contains("recommends", StringComparison.Ordinal), error);
        CollectionAssert.AreEqual(NpyFile.ReadFloat32(files["r.npy"]).Values, recommended);
        CollectionAssert.AreEqual(NpyFile.ReadFloat32(files["p.npy"]).Values, plain);
        Assert.IsFalse(recommended.SequenceEqual(plain));
    }

    [TestMethod]
    public void ApiLogLikelihoodEqualsTheCliColumn()
    {
        using var files = new TestFiles();
        string shipped = RepositoryFiles.Path("models", "gmm8.onnx");
        using VelocityModel model = VelocityModel.Load(shipped, Cpu);
        float[] points = model.Sample(200, new OdeSamplingOptions(), seed: 3);
        LogLikelihoodResult result = model.LogLikelihood(points);
        Assert.AreEqual(DivergenceEstimator.Exact, result.Estimator);
        // The ring's entropy is about 4.19 nats; samples of a good model score close to it.
        Assert.AreEqual(4.19, result.MeanNegativeLogLikelihood, 0.25);

        PointCsv.Write(files["x.csv"], new PointSet(points, 2), overwrite: false);
        var (code, error) = CommandLine.Runtime("logprob", "--model", shipped, "--provider", "cpu", "--in", files["x.csv"], "--out", files["lp.csv"]);
        Assert.AreEqual(0, code, error);
        CollectionAssert.AreEqual(result.LogDensity, LogLikelihoodTests.LogP(files["lp.csv"]));
    }

    [TestMethod]
    public void StreamingChunksConcatenateToTheWholeSample()
    {
        using VelocityModel model = VelocityModel.Load("exact:gmm8");
        var options = new OdeSamplingOptions { Solver = new OdeSolverOptions { Method = OdeMethod.Heun, Steps = 20 }, Chunk = 64 };
        float[] whole = model.Sample(250, options, seed: 1);
        SampleChunk[] chunks = model.SampleChunks(250, options with { Chunk = 100 }, seed: 1).ToArray();
        CollectionAssert.AreEqual(new long[] { 0, 100, 200 }, chunks.Select(c => c.FirstIndex).ToArray());
        CollectionAssert.AreEqual(whole, chunks.SelectMany(c => c.Points).ToArray());
        Assert.IsTrue(chunks.All(c => c.Evaluations == 40));
    }

    [TestMethod]
    public void TransportOfTheBaseDrawsEqualsSampling()
    {
        using VelocityModel model = VelocityModel.Load("exact:gmm8");
        var options = new SdeSamplingOptions { Steps = 30 };
        float[] sampled = model.Sample(50, options, seed: 4, offset: 10);
        var start = new float[100];
        var normal = new Distributions.StandardNormal(2);
        for (int i = 0; i < 50; i++)
        {
            normal.SampleIndexed(4, 10 + i, start.AsSpan(2 * i, 2));
        }

        CollectionAssert.AreEqual(sampled, model.Transport(start, options, seed: 4, firstIndex: 10));
    }

    [TestMethod]
    public void ProgressAndCancellationReachTheCaller()
    {
        using VelocityModel model = VelocityModel.Load("exact:gmm8");
        var reports = new List<long>();
        model.Sample(30, new OdeSamplingOptions { Chunk = 10 }, progress: new Reports(reports));
        CollectionAssert.AreEqual(new long[] { 10, 20, 30 }, reports);

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsExactly<OperationCanceledException>(() => model.Sample(30, new OdeSamplingOptions(), cancellationToken: cancelled.Token));
        Assert.ThrowsExactly<OperationCanceledException>(() => model.LogLikelihood([0f, 0f], cancellationToken: cancelled.Token));
    }

    [TestMethod]
    public void SettingsThatDoNotApplyAreTypedErrors()
    {
        using VelocityModel model = VelocityModel.Load("exact:gmm8");
        var e = Assert.ThrowsExactly<InvalidSettingException>(() => model.Sample(1, new OdeSamplingOptions { Solver = new() { Method = OdeMethod.DormandPrince5, Steps = 10 } }));
        Assert.AreEqual("Steps", e.Setting);
        e = Assert.ThrowsExactly<InvalidSettingException>(() => model.Sample(1, new OdeSamplingOptions { Solver = new() { Tolerances = new() } }));
        Assert.AreEqual("Tolerances", e.Setting);
        e = Assert.ThrowsExactly<InvalidSettingException>(() => model.LogLikelihood([0f, 0f], new LikelihoodOptions { Probes = 3 }));
        Assert.AreEqual("Probes", e.Setting);
        var limit = Assert.ThrowsExactly<StepLimitException>(() => model.Sample(1, new OdeSamplingOptions { Solver = new() { Method = OdeMethod.DormandPrince5, Tolerances = new(1e-9, 1e-9, 3) } }));
        Assert.AreEqual(3, limit.MaxSteps);
        Assert.ThrowsExactly<ModelContractException>(() => FlowModel.Load("exact:checkerboard"));
        Assert.ThrowsExactly<ModelContractException>(() => FlowModel.Load(RepositoryFiles.Path("models")));
    }

    private sealed class Reports(List<long> done) : IProgress<Progress.WorkProgress>
    {
        public void Report(Progress.WorkProgress value) => done.Add(value.Done);
    }
}

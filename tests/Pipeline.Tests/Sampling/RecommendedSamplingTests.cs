using FlowMatching.Contract;
using FlowMatching.Errors;
using FlowMatching.Io;
using FlowMatching.Runtime;
using FlowMatching.Runtime.Options;

namespace FlowMatching.Tests;

/// <summary>A model's recommended sampler is stored by `flowmatch-trainer recommend` and used by `sample` for what is not given.</summary>
[TestClass]
public sealed class RecommendedSamplingTests
{
    [TestMethod]
    public void SampleUsesTheRecommendedMethodAndStepsUnlessGiven()
    {
        using var files = new TestFiles();
        var (code, error) = CommandLine.Trainer("recommend", "--model", RepositoryFiles.Path("models", "gmm8.onnx"), "--method", "heun", "--steps", "5", "--out", files["r.onnx"]);
        Assert.AreEqual(0, code, error);
        using (VelocityModel model = VelocityModel.Load(files["r.onnx"], new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu }))
        {
            Assert.AreEqual(new OdeSolverOptions { Method = OdeMethod.Heun, Steps = 5 }, model.RecommendedSolver);
        }

        string Sample(string name, params string[] extra)
        {
            var (c, e) = CommandLine.Runtime(["sample", "--model", files["r.onnx"], "--provider", "cpu", "--n", "40", "--seed", "2", "--out", files[name], .. extra]);
            Assert.AreEqual(0, c, e);
            return File.ReadAllText(files[name]);
        }

        string recommended = Sample("a.csv");
        Assert.AreEqual(Sample("b.csv", "--method", "heun", "--steps", "5"), recommended);
        Assert.AreNotEqual(Sample("c.csv", "--method", "euler", "--steps", "5"), recommended);
        Assert.AreEqual(Sample("d.csv", "--method", "heun", "--steps", "7"), Sample("e.csv", "--steps", "7"));
        // --method alone leaves the recommendation whole: the method's own default steps.
        Assert.AreEqual(Sample("f.csv", "--method", "euler", "--steps", "80"), Sample("g.csv", "--method", "euler"));
    }

    [TestMethod]
    public void SampleUsesTheRecommendedGuidanceUnlessGiven()
    {
        using var files = new TestFiles();
        string model = ImageModelTests.TinyModel(files);
        var (code, error) = CommandLine.Trainer("recommend", "--model", model, "--method", "euler", "--steps", "3", "--guidance", "2.5", "--out", files["r.onnx"]);
        Assert.AreEqual(0, code, error);
        float[] Images(string name, params string[] extra) => SampledImages(files["r.onnx"], files[name], extra);

        float[] recommended = Images("a.npy");
        CollectionAssert.AreEqual(Images("b.npy", "--guidance", "2.5", "--steps", "3"), recommended);
        CollectionAssert.AreNotEqual(Images("c.npy", "--guidance", "1", "--steps", "3"), recommended);

        (code, error) = CommandLine.Trainer("recommend", "--model", RepositoryFiles.Path("models", "gmm8.onnx"), "--guidance", "2", "--out", files["g.onnx"]);
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, "--guidance");
        Assert.IsFalse(File.Exists(files["g.onnx"]));
    }

    [TestMethod]
    public void AnAdaptedTimeGridIsStoredAndSampledUnlessStepsOrAGridAreGiven()
    {
        using var files = new TestFiles();
        string reflow = RepositoryFiles.Path("models", "gmm8-reflow.onnx");
        var (code, error) = CommandLine.Trainer("recommend", "--model", reflow, "--method", "euler", "--steps", "4", "--time-grid", "adapted", "--out", files["r.onnx"]);
        Assert.AreEqual(0, code, error);
        using (VelocityModel model = VelocityModel.Load(files["r.onnx"], new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu }))
        {
            IReadOnlyList<double> grid = model.Contract!.Recommended!.Grid!;
            CollectionAssert.AreEqual(model.AdaptedTimeGrid(4), grid.ToArray());
            CollectionAssert.AreNotEqual(new[] { 0, 0.25, 0.5, 0.75, 1 }, grid.ToArray(), "a grid the pilot adapted");
            Assert.AreEqual(new OdeSolverOptions { Method = OdeMethod.Euler, Grid = grid }, model.RecommendedSolver);
        }

        string Sample(string name, params string[] extra)
        {
            var (c, e) = CommandLine.Runtime(["sample", "--model", files["r.onnx"], "--provider", "cpu", "--n", "30", "--seed", "3", "--out", files[name], .. extra]);
            Assert.AreEqual(0, c, e);
            return File.ReadAllText(files[name]);
        }

        string recommended = Sample("a.csv");
        Assert.AreEqual(Sample("b.csv", "--method", "euler", "--steps", "4", "--time-grid", "adapted"), recommended);
        string uniform = Sample("c.csv", "--method", "euler", "--steps", "4");
        Assert.AreNotEqual(uniform, recommended);
        Assert.AreEqual(uniform, Sample("d.csv", "--time-grid", "uniform"));
        Assert.AreEqual(uniform, Sample("e.csv", "--steps", "4"));

        var properties = WithRecommendation("euler", "4", "1");
        properties[MetadataKeys.RecommendedTimeGrid] = "0,0.5,1";
        var refused = Assert.ThrowsExactly<ModelContractException>(() => ModelContract.FromProperties(properties, "m.onnx"));
        StringAssert.Contains(refused.Message, MetadataKeys.RecommendedTimeGrid);
    }

    /// <summary>A point model's metadata with the three required recommendation keys set as given.</summary>
    internal static Dictionary<string, string> WithRecommendation(string method, string steps, string guidance)
    {
        var properties = Models.Metadata(new Training.TrainingOptions()).ToProperties().ToDictionary(p => p.Key, p => p.Value);
        properties[MetadataKeys.RecommendedMethod] = method;
        properties[MetadataKeys.RecommendedSteps] = steps;
        properties[MetadataKeys.RecommendedGuidance] = guidance;
        return properties;
    }

    /// <summary>Six images, two of each class, sampled by the command line with the model's recommendation where <paramref name="extra"/> says nothing.</summary>
    internal static float[] SampledImages(string model, string output, params string[] extra)
    {
        var (code, error) = CommandLine.Runtime(["sample", "--model", model, "--class", "all", "--n", "6", "--out", output, .. extra]);
        Assert.AreEqual(0, code, error);
        return NpyFile.ReadFloat32(output).Values;
    }

    [TestMethod]
    public void AnUnknownRecommendedMethodNamesTheKey()
    {
        var properties = WithRecommendation("leapfrog", "4", "1");
        var error = Assert.ThrowsExactly<ModelContractException>(() => ModelContract.FromProperties(properties, "m.onnx"));
        StringAssert.Contains(error.Message, MetadataKeys.RecommendedMethod);
        properties[MetadataKeys.RecommendedMethod] = "heun";
        Assert.AreEqual(new RecommendedSampling(OdeMethod.Heun, 4, 1), ModelContract.FromProperties(properties, "m.onnx")!.Recommended);
    }
}

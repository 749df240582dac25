using FlowMatching.Contract;
using FlowMatching.Errors;
using FlowMatching.Io;
using FlowMatching.Randomness;
using FlowMatching.Runtime;
using FlowMatching.Runtime.Options;

namespace FlowMatching.Tests;

/// <summary>
/// Autoguidance v = v_weak + w (v_model - v_weak): the field it samples, the weak models it accepts, and the
/// recommendation `flowmatch-trainer recommend` stores for `flowmatch sample`. The shipped gmm8 models stand in for a model and
/// its weaker twin (same data, same shape, different networks).
/// </summary>
[TestClass]
public sealed class AutoguidanceTests
{
    private static readonly string Gmm8 = RepositoryFiles.Path("models", "gmm8.onnx");
    private static readonly string Reflow = RepositoryFiles.Path("models", "gmm8-reflow.onnx");

    private static VelocityModel Open(string path) => VelocityModel.Load(path, new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu });

    // One Euler step from t = 0 to 1 moves each point by the field at t = 0, so the step is the field itself.
    private static float[] OneStep(VelocityModel model, float[] start, Autoguidance? autoguidance) =>
        model.Transport(start, new OdeSamplingOptions { Solver = new() { Method = OdeMethod.Euler, Steps = 1 }, Autoguidance = autoguidance });

    [TestMethod]
    public void TheGuidedFieldIsLinearInTheWeightFromTheWeakModelToTheModel()
    {
        var random = new RandomStream(5, 0);
        float[] start = Enumerable.Range(0, 200).Select(_ => (float)(2 * random.NextGaussian())).ToArray();
        using VelocityModel model = Open(Gmm8);
        using VelocityModel weak = Open(Reflow);
        float[] plain = OneStep(model, start, null);
        CollectionAssert.AreEqual(plain, OneStep(model, start, new Autoguidance("no-such-file.onnx", 1)), "w = 1 is the model alone, its weak model never opened");
        CollectionAssert.AreEqual(OneStep(weak, start, null), OneStep(model, start, new Autoguidance(Reflow, 0)), "w = 0 is the weak model alone");

        float[] atZero = OneStep(model, start, new Autoguidance(Reflow, 0));
        float[] guided = OneStep(model, start, new Autoguidance(Reflow, 2.5));
        double largest = 0;
        for (int i = 0; i < start.Length; i++)
        {
            double expected = start[i] + (atZero[i] - start[i]) + (2.5 * (plain[i] - atZero[i]));
            largest = Math.Max(largest, Math.Abs(guided[i] - expected));
        }

        Assert.IsTrue(largest < 1e-4, $"largest departure from v_weak + 2.5 (v - v_weak): {largest}");
        Assert.IsTrue(guided.Zip(plain).Max(p => Math.Abs(p.First - p.Second)) > 0.1, "the two fields differ, so the weight matters");
    }

    [TestMethod]
    public void AWeakModelOfOtherDataIsRefusedNamingIt()
    {
        using VelocityModel model = Open(Gmm8);
        var options = new OdeSamplingOptions { Autoguidance = new Autoguidance(RepositoryFiles.Path("models", "checkerboard.onnx"), 2) };
        var error = Assert.ThrowsExactly<ModelContractException>(() => model.Sample(10, options));
        StringAssert.Contains(error.Message, "checkerboard.onnx: cannot guide");
        StringAssert.Contains(error.Message, "trained on checkerboard");

        options = options with { Autoguidance = new Autoguidance(RepositoryFiles.Path("models", "fashion-mnist.onnx"), 2) };
        error = Assert.ThrowsExactly<ModelContractException>(() => model.Sample(10, options));
        StringAssert.Contains(error.Message, "samples [1,28,28]");

        error = Assert.ThrowsExactly<ModelContractException>(() => model.Sample(10, options with { Autoguidance = new Autoguidance("exact:gmm8", 2) }));
        StringAssert.Contains(error.Message, "closed-form field");

        Assert.ThrowsExactly<InvalidSettingException>(() => model.Sample(10, options with { Autoguidance = new Autoguidance(Reflow, double.NaN) }));
    }

    [TestMethod]
    public void SampleUsesTheRecommendedAutoguidanceBesideTheModelUnlessTurnedOff()
    {
        using var files = new TestFiles();
        File.Copy(Reflow, files["weak.onnx"]);
        var (code, error) = CommandLine.Trainer("recommend", "--model", Gmm8, "--method", "euler", "--steps", "10", "--weak-model", files["weak.onnx"], "--autoguidance", "1.5", "--out", files["m.onnx"]);
        Assert.AreEqual(0, code, error);
        using (VelocityModel model = Open(files["m.onnx"]))
        {
            Assert.AreEqual(new RecommendedAutoguidance("weak.onnx", 1.5), model.Contract!.Recommended!.Autoguidance, "stored relative to the model's folder");
        }

        string Sample(string model, string name, params string[] extra)
        {
            var (c, e) = CommandLine.Runtime(["sample", "--model", model, "--provider", "cpu", "--n", "50", "--seed", "1", "--out", files[name], .. extra]);
            Assert.AreEqual(0, c, e);
            return File.ReadAllText(files[name]);
        }

        string recommended = Sample(files["m.onnx"], "a.csv");
        Assert.AreEqual(Sample(Gmm8, "b.csv", "--steps", "10", "--weak-model", files["weak.onnx"], "--autoguidance", "1.5"), recommended);
        string plain = Sample(Gmm8, "c.csv", "--steps", "10");
        Assert.AreNotEqual(plain, recommended);
        Assert.AreEqual(plain, Sample(files["m.onnx"], "d.csv", "--autoguidance", "1"));
        Assert.AreEqual(Sample(Gmm8, "e.csv", "--steps", "10", "--weak-model", files["weak.onnx"], "--autoguidance", "2"), Sample(files["m.onnx"], "f.csv", "--autoguidance", "2"));

        File.Delete(files["weak.onnx"]);
        (code, error) = CommandLine.Runtime("sample", "--model", files["m.onnx"], "--provider", "cpu", "--n", "5", "--out", files["g.csv"]);
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, "weak.onnx, which is missing");
        Assert.IsFalse(File.Exists(files["g.csv"]));
    }

    [TestMethod]
    public void IncompleteAutoguidanceSettingsNameTheirFlag()
    {
        using var files = new TestFiles();
        foreach (string[] args in new[]
        {
            new[] { "sample", "--model", Gmm8, "--autoguidance", "2" },
            ["sample", "--model", Gmm8, "--weak-model", Reflow],
            ["sample", "--model", Gmm8, "--weak-model", Reflow, "--autoguidance", "-1"],
        })
        {
            var (code, error) = CommandLine.Runtime([.. args, "--provider", "cpu", "--n", "5", "--out", files["s.csv"]]);
            Assert.AreEqual(1, code, error);
            StringAssert.Contains(error, args[^2] == "--autoguidance" ? "--autoguidance" : "--weak-model");
            Assert.IsFalse(File.Exists(files["s.csv"]));
        }

        var (recommendCode, recommendError) = CommandLine.Trainer("recommend", "--model", Gmm8, "--weak-model", RepositoryFiles.Path("models", "checkerboard.onnx"), "--autoguidance", "2", "--out", files["m.onnx"]);
        Assert.AreEqual(1, recommendCode, recommendError);
        StringAssert.Contains(recommendError, "trained on checkerboard");
        Assert.IsFalse(File.Exists(files["m.onnx"]));
    }

    [TestMethod]
    public void TheRecommendationRoundTripsAndABadValueNamesItsKey()
    {
        var properties = RecommendedSamplingTests.WithRecommendation("heun", "20", "1");
        properties[MetadataKeys.RecommendedAutoguidance] = "1.1";
        properties[MetadataKeys.RecommendedWeakModel] = "weak.onnx";
        RecommendedSampling read = ModelContract.FromProperties(properties, "m.onnx")!.Recommended!;
        Assert.AreEqual(new RecommendedAutoguidance("weak.onnx", 1.1), read.Autoguidance);
        CollectionAssert.AreEquivalent(properties.Where(p => p.Key.StartsWith("flowmatching.recommended.", StringComparison.Ordinal)).ToList(), read.ToProperties().ToList());

        foreach ((string key, string value) in new[] { (MetadataKeys.RecommendedWeakModel, "/abs/weak.onnx"), (MetadataKeys.RecommendedAutoguidance, "NaN"), (MetadataKeys.RecommendedAutoguidance, "x") })
        {
            var bad = new Dictionary<string, string>(properties) { [key] = value };
            var error = Assert.ThrowsExactly<ModelContractException>(() => ModelContract.FromProperties(bad, "m.onnx"));
            StringAssert.Contains(error.Message, key);
        }

        properties.Remove(MetadataKeys.RecommendedAutoguidance);
        StringAssert.Contains(Assert.ThrowsExactly<ModelContractException>(() => ModelContract.FromProperties(properties, "m.onnx")).Message, MetadataKeys.RecommendedAutoguidance);
    }
}

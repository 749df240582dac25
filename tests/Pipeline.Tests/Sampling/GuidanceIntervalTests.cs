using FlowMatching.Contract;
using FlowMatching.Errors;
using FlowMatching.Runtime;
using FlowMatching.Runtime.Models;
using FlowMatching.Runtime.Options;
using FlowMatching.Runtime.Sampling;

namespace FlowMatching.Tests;

/// <summary>Guidance limited to an interval of t: the field, the stored recommendation and the command line.</summary>
[TestClass]
public sealed class GuidanceIntervalTests
{
    [TestMethod]
    public void IntervalsParseOnlyInsideTheUnitTime()
    {
        Assert.IsTrue(GuidanceInterval.TryParse("0.15,0.8", out GuidanceInterval interval));
        Assert.AreEqual(new GuidanceInterval(0.15, 0.8), interval);
        Assert.IsTrue(GuidanceInterval.TryParse(interval.ToString(), out GuidanceInterval again));
        Assert.AreEqual(interval, again);
        foreach (string bad in new[] { "0.8,0.2", "0.5,0.5", "-0.1,0.5", "0.2,1.5", "0.2", "a,b", "0.1,0.2,0.3", "" })
        {
            Assert.IsFalse(GuidanceInterval.TryParse(bad, out _), bad);
        }

        var conditioning = new Conditioning(ClassSelection.All, 3, interval);
        Assert.AreEqual(1.0, conditioning.GuidanceAt(0.1));
        Assert.AreEqual(3.0, conditioning.GuidanceAt(0.15));
        Assert.AreEqual(3.0, conditioning.GuidanceAt(0.5));
        Assert.AreEqual(1.0, conditioning.GuidanceAt(0.9));
        Assert.AreEqual(3.0, new Conditioning(ClassSelection.All, 3).GuidanceAt(0.9));
    }

    [TestMethod]
    public void OutsideTheIntervalTheFieldIsTheConditionalOneAlone()
    {
        using var files = new TestFiles();
        using FlowModel model = FlowModel.Load(ImageModelTests.TinyModel(files), new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu });
        IClassConditionalField field = ImageModelTests.ConditionalField(model);
        const double w = 2.5;
        const int n = 6;
        var random = new Randomness.RandomStream(3, 2);
        float[] x = Enumerable.Range(0, n * 64).Select(_ => (float)random.NextGaussian()).ToArray();
        var limited = new GuidedField(field, new Conditioning(ClassSelection.All, w, new GuidanceInterval(0.2, 0.6)));
        var everywhere = new GuidedField(field, new Conditioning(ClassSelection.All, w));
        var alone = new GuidedField(field, new Conditioning(ClassSelection.All, 1));
        long[] classes = [.. Enumerable.Range(1, n).Select(i => (long)(i % field.Classes))];

        float[] Velocity(GuidedField guided, double t)
        {
            var v = new float[x.Length];
            guided.Evaluate(t, x, classes, v);
            return v;
        }

        foreach (double t in new[] { 0.1, 0.7, 0.95 })
        {
            CollectionAssert.AreEqual(Velocity(alone, t), Velocity(limited, t), $"t = {t}");
        }

        foreach (double t in new[] { 0.2, 0.4, 0.6 })
        {
            CollectionAssert.AreEqual(Velocity(everywhere, t), Velocity(limited, t), $"t = {t}");
            CollectionAssert.AreNotEqual(Velocity(alone, t), Velocity(limited, t), $"t = {t}: guidance must change the field");
        }
    }

    [TestMethod]
    public void RecommendStoresTheIntervalAndSampleUsesItUnlessGiven()
    {
        using var files = new TestFiles();
        string model = ImageModelTests.TinyModel(files);
        var (code, error) = CommandLine.Trainer("recommend", "--model", model, "--method", "euler", "--steps", "4", "--guidance", "3",
            "--guidance-interval", "0.25,0.75", "--out", files["r.onnx"]);
        Assert.AreEqual(0, code, error);
        using (FlowModel loaded = FlowModel.Load(files["r.onnx"], new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu }))
        {
            Assert.AreEqual(new RecommendedSampling(OdeMethod.Euler, 4, 3, new GuidanceInterval(0.25, 0.75)), loaded.Contract!.Recommended);
        }

        float[] Images(string name, params string[] extra) => RecommendedSamplingTests.SampledImages(files["r.onnx"], files[name], extra);

        float[] recommended = Images("a.npy");
        CollectionAssert.AreEqual(Images("b.npy", "--guidance", "3", "--guidance-interval", "0.25,0.75"), recommended);
        CollectionAssert.AreNotEqual(Images("c.npy", "--guidance-interval", "0,1"), recommended);

        // A new recommendation without an interval drops the old one.
        (code, error) = CommandLine.Trainer("recommend", "--model", files["r.onnx"], "--method", "euler", "--steps", "4", "--guidance", "3", "--out", files["s.onnx"]);
        Assert.AreEqual(0, code, error);
        using FlowModel replaced = FlowModel.Load(files["s.onnx"], new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu });
        Assert.IsNull(replaced.Contract!.Recommended!.Interval);
    }

    [TestMethod]
    public void ABadIntervalNamesTheFlagOrTheKey()
    {
        using var files = new TestFiles();
        string model = ImageModelTests.TinyModel(files);
        var (code, error) = CommandLine.Runtime("sample", "--model", model, "--class", "all", "--n", "2", "--guidance-interval", "0.8,0.2", "--out", files["a.npy"]);
        Assert.AreEqual(2, code, error);
        StringAssert.Contains(error, "--guidance-interval 0.8,0.2");
        Assert.IsFalse(File.Exists(files["a.npy"]));
        (code, error) = CommandLine.Runtime("sample", "--model", RepositoryFiles.Path("models", "gmm8.onnx"), "--n", "2", "--guidance-interval", "0.2,0.8", "--out", files["b.csv"]);
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, "--guidance-interval");
        Assert.IsFalse(File.Exists(files["b.csv"]));

        var properties = RecommendedSamplingTests.WithRecommendation("heun", "4", "1.5");
        properties[MetadataKeys.RecommendedGuidanceInterval] = "0.9,0.1";
        var refused = Assert.ThrowsExactly<ModelContractException>(() => ModelContract.FromProperties(properties, "m.onnx"));
        StringAssert.Contains(refused.Message, MetadataKeys.RecommendedGuidanceInterval);
    }
}

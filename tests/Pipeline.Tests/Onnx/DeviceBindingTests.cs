using FlowMatching.Contract;
using FlowMatching.Errors;
using FlowMatching.Interpolants;
using FlowMatching.Runtime;
using FlowMatching.Runtime.Models;
using FlowMatching.Runtime.Options;
using Microsoft.ML.OnnxRuntime;

namespace FlowMatching.Tests;

/// <summary>
/// The evaluation path a CUDA session takes (bind the inputs afresh for every run, because a device provider
/// copies a bound host buffer when it is bound) gives what the CPU path gives, evaluation after evaluation.
/// </summary>
[TestClass]
public sealed class DeviceBindingTests
{
    [TestMethod]
    public void RebindingEachEvaluationSeesEveryNewInput()
    {
        string shipped = RepositoryFiles.Path("models", "gmm8.onnx");
        using var bindOnce = Field(shipped, rebind: false);
        using var rebind = Field(shipped, rebind: true);
        Assert.IsTrue(rebind.RebindEachEvaluation);
        var random = new Randomness.RandomStream(5, 0);
        var points = new float[2 * 64];
        var expected = new float[points.Length];
        var actual = new float[points.Length];
        float[]? previous = null;
        for (int call = 0; call < 5; call++)
        {
            for (int i = 0; i < points.Length; i++)
            {
                points[i] = (float)(3 * random.NextGaussian());
            }

            double t = 0.2 * call;
            bindOnce.Evaluate(t, points, expected);
            rebind.Evaluate(t, points, actual);
            CollectionAssert.AreEqual(expected, actual, $"call {call}");
            // A stale input would repeat the previous velocity.
            CollectionAssert.AreNotEqual(previous, actual);
            previous = (float[])actual.Clone();
        }
    }

    [TestMethod]
    public void UnreadableHiddenWidthsNameTheFileAndKey()
    {
        using var files = new TestFiles();
        var properties = new ModelContract("p", "1", InterpolantKind.Linear, 2, "normal(0,I)", "gmm8", [8], "relu", 1, 1, 0, 0).ToProperties()
            .ToDictionary(p => p.Key, p => p.Value);
        properties[MetadataKeys.Hidden] = "512,abc";
        var e = Assert.ThrowsExactly<ModelContractException>(() => ModelContract.FromProperties(properties, "m.onnx"));
        Assert.AreEqual(MetadataKeys.Hidden, e.Key);
        StringAssert.Contains(e.Message, "m.onnx");
        StringAssert.Contains(e.Message, "512,abc");
    }

    [TestMethod]
    public void CancellingAbortsTheEvaluationAndTheFieldStaysUsable()
    {
        using var field = Field(RepositoryFiles.Path("models", "gmm8.onnx"), rebind: false);
        float[] points = [1, 2, -3, 0.5f];
        var expected = new float[4];
        field.Evaluate(0.3, points, expected);
        field.Abort();
        // The terminate flag is set: ONNX Runtime stops the run, and the field says it was cancelled.
        Assert.ThrowsExactly<OperationCanceledException>(() => field.Evaluate(0.3, points, new float[4]));

        var again = new float[4];
        field.Evaluate(0.3, points, again);
        CollectionAssert.AreEqual(expected, again);
    }

    private static OnnxVelocityField Field(string path, bool rebind)
    {
        var session = new InferenceSession(path);
        return new OnnxVelocityField(session, OnnxSignature.Resolve(session, path), rebind);
    }
}

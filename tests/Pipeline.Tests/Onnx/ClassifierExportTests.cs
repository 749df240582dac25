using FlowMatching.Contract;
using FlowMatching.Interpolants;
using FlowMatching.Io;
using FlowMatching.Randomness;
using FlowMatching.Training.Network;
using FlowMatching.Training.Onnx;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace FlowMatching.Tests;

/// <summary>The feature classifier written by the project's exporter computes TorchSharp's logits and features.</summary>
[TestClass]
public sealed class ClassifierExportTests
{
    [TestMethod]
    public void OnnxRuntimeAgreesWithTorchSharpOnLogitsAndFeatures()
    {
        using var files = new TestFiles();
        random.manual_seed(5);
        using var network = new Classifier(1, 28, 28, 10);
        var contract = new ModelContract("tests", "0", InterpolantKind.Linear, 784, "none", "fashion-mnist", [32, 64, Classifier.FeatureWidth], "relu", 1, 1, 0, 0)
        {
            NetworkKind = NetworkKind.Classifier,
            Shape = [1, 28, 28],
            ValueRange = [-1, 1],
            ClassNames = Enumerable.Range(0, 10).Select(c => $"class {c}").ToArray(),
        };
        AtomicFile.WriteAllBytes(files["c.onnx"], ClassifierExporter.Export(network, contract), overwrite: false);
        const int n = 5;
        var stream = new RandomStream(3, 3);
        float[] x = Enumerable.Range(0, n * 784).Select(_ => (float)Math.Clamp(stream.NextGaussian(), -1, 1)).ToArray();
        float[] logits, features;
        using (no_grad())
        {
            var (l, f) = network.forward(tensor(x, [n, 1, 28, 28]));
            (logits, features) = (l.data<float>().ToArray(), f.data<float>().ToArray());
        }

        using var session = new InferenceSession(files["c.onnx"]);
        using var input = OrtValue.CreateTensorValueFromMemory(x, [n, 1, 28, 28]);
        using var outputs = session.Run(new RunOptions(), ["x"], [input], [ClassifierExporter.LogitsOutput, ClassifierExporter.FeaturesOutput]);
        foreach ((float[] expected, int index) in new[] { (logits, 0), (features, 1) })
        {
            float[] actual = outputs[index].GetTensorDataAsSpan<float>().ToArray();
            Assert.AreEqual(expected.Length, actual.Length);
            double worst = expected.Zip(actual, (e, a) => (double)Math.Abs(e - a)).Max();
            Assert.IsTrue(worst <= 1e-4 * Math.Max(1, expected.Max(Math.Abs)), $"output {index}: max |torch - onnx| = {worst}");
        }
    }

    [TestMethod]
    public void TheClassifierCommandLearnsAFixtureAndStoresItsAccuracy()
    {
        using var files = new TestFiles();
        (string images, string labels) = IdxTests.Fixture(files, count: 60, size: 8);
        string set = $"idx:{images},{labels}";
        var (code, error) = CommandLine.Trainer("classifier", "--target", set, "--test", set, "--steps", "60", "--batch", "16", "--lr", "3e-3", "--out", files["c.onnx"]);
        Assert.AreEqual(0, code, error);
        using var session = new InferenceSession(files["c.onnx"]);
        ModelContract contract = ModelContract.FromProperties(session.ModelMetadata.CustomMetadataMap, "c.onnx")!;
        // Each class lights its own row of pixels: a CNN separates the three classes after a few dozen steps.
        Assert.IsTrue(contract.TestAccuracy > 0.9, $"accuracy {contract.TestAccuracy}: {error}");
        Assert.AreEqual(NetworkKind.Classifier, contract.NetworkKind);
    }
}

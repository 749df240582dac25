using FlowMatching.Contract;
using FlowMatching.Interpolants;
using FlowMatching.Io;
using FlowMatching.Randomness;
using FlowMatching.Runtime;
using FlowMatching.Runtime.Options;
using FlowMatching.Training.Network;
using FlowMatching.Training.Onnx;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace FlowMatching.Tests;

/// <summary>The U-Net written by the project's own exporter computes what TorchSharp computes.</summary>
[TestClass]
public sealed class UNetExportTests
{
    public static ModelContract Contract(UNetConfig config, IReadOnlyList<string> classes) =>
        new("tests", "0", InterpolantKind.Linear, config.ImageChannels * config.Height * config.Width, "normal(0,I)", "idx:test", config.Channels, "silu", 1, 1, 0, 0)
        {
            NetworkKind = NetworkKind.UNet,
            Shape = [config.ImageChannels, config.Height, config.Width],
            ValueRange = [-1, 1],
            ClassNames = classes,
        };

    [TestMethod]
    public void TheShippedUNetHasThePyTorchBenchmarkNetworksParameterCount()
    {
        // scripts/benchmark-vs-pytorch.py builds the same design in PyTorch, which counts 494497: equal networks.
        using var network = new UNet(new UNetConfig([32, 64, 64], 1, 28, 28, 10));
        Assert.AreEqual(494497L, network.parameters().Sum(p => p.numel()));
    }

    [TestMethod]
    [DataRow(3, "8,16")]
    [DataRow(0, "8,16")]
    [DataRow(4, "8,16,16")]
    [DataRow(2, "12")]
    public void OnnxRuntimeAgreesWithTorchSharp(int classes, string channels)
    {
        using var files = new TestFiles();
        random.manual_seed(3);
        var config = new UNetConfig(channels.Split(',').Select(int.Parse).ToArray(), 1, 8, 8, classes);
        using var network = new UNet(config);
        string[] names = Enumerable.Range(0, classes).Select(c => $"class {c}").ToArray();
        AtomicFile.WriteAllBytes(files["unet.onnx"], UNetExporter.Export(network, Contract(config, names)), overwrite: false);

        const int n = 7;
        var stream = new RandomStream(4, 0);
        float[] x = Enumerable.Range(0, n * 64).Select(_ => (float)stream.NextGaussian()).ToArray();
        float[] t = Enumerable.Range(0, n).Select(i => i / (float)(n - 1)).ToArray();
        long[] y = Enumerable.Range(0, n).Select(i => (long)(i % (classes + 1))).ToArray();
        float[] expected;
        using (no_grad())
        {
            expected = network.forward(tensor(x, [n, 1, 8, 8]), tensor(t, [n]), tensor(y, [n])).data<float>().ToArray();
        }

        using var session = new InferenceSession(files["unet.onnx"]);
        using var xValue = OrtValue.CreateTensorValueFromMemory(x, [n, 1, 8, 8]);
        using var tValue = OrtValue.CreateTensorValueFromMemory(t, [n]);
        using var yValue = OrtValue.CreateTensorValueFromMemory(y, [n]);
        string[] inputs = classes > 0 ? ["x", "t", "y"] : ["x", "t"];
        OrtValue[] values = classes > 0 ? [xValue, tValue, yValue] : [xValue, tValue];
        using var outputs = session.Run(new RunOptions(), inputs, values, ["v"]);
        float[] actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.IsTrue(expected.All(float.IsFinite), $"torch: {expected.Count(float.IsNaN)} NaN of {expected.Length}");
        Assert.IsTrue(actual.All(float.IsFinite), $"onnx: {actual.Count(float.IsNaN)} NaN of {actual.Length}");
        double scale = Math.Max(1, expected.Max(Math.Abs));
        double worst = expected.Zip(actual, (e, a) => (double)Math.Abs(e - a)).Max();
        Assert.IsTrue(worst <= 1e-4 * scale, $"max |torch - onnx| = {worst} at scale {scale}");

        ModelContract read = ModelContract.FromProperties(session.ModelMetadata.CustomMetadataMap, "unet.onnx")!;
        CollectionAssert.AreEqual(new[] { 1, 8, 8 }, read.Shape.ToArray());
        Assert.AreEqual(classes > 0 ? classes : null, read.NullClass);
    }

    [TestMethod]
    public void PointModelsCarryNoImageKeys()
    {
        ModelContract points = new("p", "1", InterpolantKind.Linear, 2, "normal(0,I)", "gmm8", [8], "relu", 1, 1, 0, 0);
        Assert.IsFalse(points.ToProperties().Any(p => p.Key is MetadataKeys.Shape or MetadataKeys.ClassNames or MetadataKeys.NetworkKind));
        using FlowModel shipped = FlowModel.Load(RepositoryFiles.Path("models", "gmm8.onnx"), new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu });
        Assert.IsFalse(shipped.Contract!.IsImageModel);
    }
}

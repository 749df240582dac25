using FlowMatching.Contract;
using FlowMatching.Randomness;
using FlowMatching.Training.Network;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace FlowMatching.Tests;

/// <summary>A flow map's ONNX file computes u(x, t, h[, y]) as TorchSharp does, at opset 17.</summary>
[TestClass]
public sealed class FlowMapExportTests
{
    [TestMethod]
    public void PointMapParity()
    {
        using Mlp network = FlowMapModels.PointMap();
        using var files = new TestFiles();
        string path = FlowMapModels.RandomPointMap(files["map.onnx"]);
        (float[] x, float[] t, float[] h) = Inputs(200, 2);
        float[] expected;
        using (no_grad())
        {
            expected = network.Velocity(tensor(x, [200, 2]), tensor(t, [200]), zeros(200, ScalarType.Int64), tensor(h, [200])).data<float>().ToArray();
        }

        float[] actual = Run(path, [("x", OrtValue.CreateTensorValueFromMemory(x, [200, 2])), ("t", OrtValue.CreateTensorValueFromMemory(t, [200])), ("h", OrtValue.CreateTensorValueFromMemory(h, [200]))]);
        AssertClose(expected, actual);
        AssertStepMatters(network, x, t);
    }

    [TestMethod]
    public void ImageMapParity()
    {
        using UNet network = FlowMapModels.ImageMap();
        using var files = new TestFiles();
        string path = FlowMapModels.RandomImageMap(files["map.onnx"]);
        const int n = 8;
        (float[] x, float[] t, float[] h) = Inputs(n, 64);
        long[] y = [.. Enumerable.Range(0, n).Select(i => (long)(i % 4))];
        float[] expected;
        using (no_grad())
        {
            expected = network.Velocity(tensor(x, [n, 64]), tensor(t, [n]), tensor(y, [n]), tensor(h, [n])).data<float>().ToArray();
        }

        float[] actual = Run(path,
        [
            ("x", OrtValue.CreateTensorValueFromMemory(x, [n, 1, 8, 8])), ("t", OrtValue.CreateTensorValueFromMemory(t, [n])),
            ("y", OrtValue.CreateTensorValueFromMemory(y, [n])), ("h", OrtValue.CreateTensorValueFromMemory(h, [n])),
        ]);
        AssertClose(expected, actual);
        using var session = new InferenceSession(path);
        Assert.AreEqual(17, (int)ReadOpset(path));
        Assert.AreEqual("flow-map", session.ModelMetadata.CustomMetadataMap[MetadataKeys.ModelKind]);
    }

    [TestMethod]
    public void AFlowMapStartedFromAVelocityModelIsThatVelocityAtEveryStep()
    {
        using var files = new TestFiles();
        random.manual_seed(2);
        using var velocity = new UNet(new UNetConfig([8, 16], 1, 8, 8, 3));
        TorchSharp.Modules.Parameter bias = velocity.named_parameters().First(p => p.name == "output.bias").parameter;
        using (no_grad())
        {
            bias.fill_(0.25f);
        }

        File.WriteAllBytes(files["v.onnx"], Training.Onnx.ModelExport.Export(velocity, UNetExportTests.Contract(velocity.Config, ["a", "b", "c"])));
        using var map = new UNet(velocity.Config with { TakesStep = true });
        InitialWeights.Read(files["v.onnx"]).Apply(map);

        (float[] x, float[] t, float[] h) = Inputs(6, 64);
        Tensor xs = tensor(x, [6, 64]), ts = tensor(t, [6]), ys = tensor(new long[] { 0, 1, 2, 3, 0, 1 }, [6]);
        using (no_grad())
        {
            float[] expected = velocity.Velocity(xs, ts, ys).data<float>().ToArray();
            float[] actual = map.Velocity(xs, ts, ys, tensor(h, [6])).data<float>().ToArray();
            CollectionAssert.AreEqual(expected, actual);
        }

        using var mlp = new Mlp(2, [16], Activation.Relu, TimeEmbedding.Fourier(2));
        Models.Export(mlp, new Training.TrainingOptions { Hidden = [16], TimeEmbedding = TimeEmbedding.Fourier(2) }, files["p.onnx"]);
        using var pointMap = new Mlp(2, [16], Activation.Relu, TimeEmbedding.Fourier(2), takesStep: true);
        InitialWeights.Read(files["p.onnx"]).Apply(pointMap);
        (float[] px, float[] pt, float[] ph) = Inputs(20, 2);
        using (no_grad())
        {
            CollectionAssert.AreEqual(
                mlp.forward(tensor(px, [20, 2]), tensor(pt, [20])).data<float>().ToArray(),
                pointMap.Velocity(tensor(px, [20, 2]), tensor(pt, [20]), zeros(20, ScalarType.Int64), tensor(ph, [20])).data<float>().ToArray());
        }

        // Another shape is refused with the tensor named.
        using var wider = new Mlp(2, [24], Activation.Relu, TimeEmbedding.Fourier(2), takesStep: true);
        var refused = Assert.ThrowsExactly<Errors.ModelContractException>(() => InitialWeights.Read(files["p.onnx"]).Apply(wider));
        StringAssert.Contains(refused.Message, "layer0");
    }

    private static (float[] X, float[] T, float[] H) Inputs(int n, int d)
    {
        var stream = new RandomStream(7, 0);
        return (
            [.. Enumerable.Range(0, n * d).Select(_ => (float)(2 * stream.NextGaussian()))],
            [.. Enumerable.Range(0, n).Select(_ => (float)stream.NextUniform())],
            [.. Enumerable.Range(0, n).Select(i => (float)Math.Pow(0.5, i % 7))]);
    }

    private static float[] Run(string path, (string Name, OrtValue Value)[] inputs)
    {
        using var session = new InferenceSession(path);
        try
        {
            using var outputs = session.Run(new RunOptions(), inputs.Select(i => i.Name).ToArray(), inputs.Select(i => i.Value).ToArray(), ["v"]);
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
        finally
        {
            foreach ((_, OrtValue value) in inputs)
            {
                value.Dispose();
            }
        }
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.AreEqual(expected.Length, actual.Length);
        double scale = Math.Max(1, expected.Max(Math.Abs));
        double worst = expected.Zip(actual, (e, a) => (double)Math.Abs(e - a)).Max();
        Assert.IsTrue(worst <= 1e-4 * scale, $"max |torch - onnx| = {worst} at scale {scale}");
    }

    // The step input reaches the output: at h = 1 the map differs from h = 0.
    private static void AssertStepMatters(Mlp network, float[] x, float[] t)
    {
        using var noGrad = no_grad();
        int n = t.Length;
        Tensor at0 = network.Velocity(tensor(x, [n, 2]), tensor(t, [n]), zeros(n, ScalarType.Int64), zeros(n));
        Tensor at1 = network.Velocity(tensor(x, [n, 2]), tensor(t, [n]), zeros(n, ScalarType.Int64), ones(n));
        Assert.IsTrue((at0 - at1).abs().max().item<float>() > 1e-3);
    }

    private static long ReadOpset(string path) =>
        Training.Onnx.Proto.ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).OpsetImport.Single().Version;
}

using FlowMatching.Randomness;
using FlowMatching.Training.Network;
using FlowMatching.Training.Training;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace FlowMatching.Tests;

[TestClass]
public sealed class ExportParityTests
{
    private const int Points = 1000;

    [TestMethod]
    [DataRow("relu", 0)]
    [DataRow("relu", 150)]
    [DataRow("silu", 0)]
    [DataRow("gelu", 0)]
    [DataRow("silu", 60)]
    [DataRow("gelu", 60)]
    public void OnnxRuntimeReproducesTorchSharpForward(string activation, int steps)
    {
        var options = new TrainingOptions { Steps = Math.Max(steps, 1), Batch = 256, Hidden = [64, 64, 64], Activation = activation, Seed = 3, ValidationBatch = 0 };
        using VelocityNetwork network = steps == 0
            ? FreshNetwork(options)
            : Models.Train(options);
        using var files = new TestFiles();
        string path = Models.Export(network, options, files["model.onnx"]);

        var random = new RandomStream(11, 0);
        float[] x = Enumerable.Range(0, Points * 2).Select(_ => (float)(4 * random.NextGaussian())).ToArray();
        float[] t = Enumerable.Range(0, Points).Select(_ => (float)random.NextUniform()).ToArray();

        float[] expected;
        using (no_grad())
        {
            expected = network.forward(tensor(x, [Points, 2]), tensor(t, [Points])).data<float>().ToArray();
        }

        using var session = new InferenceSession(path);
        using var xValue = OrtValue.CreateTensorValueFromMemory(x, [Points, 2]);
        using var tValue = OrtValue.CreateTensorValueFromMemory(t, [Points]);
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(new RunOptions(), ["x", "t"], [xValue, tValue], ["v"]);
        float[] actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        double scale = Math.Max(1.0, expected.Max(Math.Abs));
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.AreEqual(expected.Length, actual.Length);
        Assert.IsTrue(worst <= 1e-5 * scale, $"max |torch - onnx| = {worst} at scale {scale}");
    }

    private static VelocityNetwork FreshNetwork(TrainingOptions options)
    {
        random.manual_seed(options.Seed);
        return new VelocityNetwork(2, options.Hidden, options.Activation);
    }
}

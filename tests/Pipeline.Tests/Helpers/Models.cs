using FlowMatching.Contract;
using FlowMatching.Distributions;
using FlowMatching.Io;
using FlowMatching.Randomness;
using FlowMatching.Training;
using FlowMatching.Training.Network;
using FlowMatching.Training.Onnx;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace FlowMatching.Tests;

/// <summary>Builds small networks and exported models for tests.</summary>
public static class Models
{
    public static Mlp Train(TrainingOptions options) =>
        (Mlp)new Trainer(options, TargetCatalog.Parse(options.Target)).Train(CPU);

    public static ModelContract Metadata(TrainingOptions options, int dimension = 2) =>
        TrainingContract.Build(options, new PointsOfDimension(options.Target, dimension), scaling: null, finalLoss: 0.0);

    // Only the name and dimension of a target reach the contract.
    private sealed record PointsOfDimension(string Name, int Dimension) : IDistribution
    {
        public void Sample(FlowMatching.Randomness.RandomStream random, Span<float> destination) => throw new NotSupportedException();
    }

    /// <summary>
    /// Largest |TorchSharp forward - ONNX Runtime forward| over 1000 random (x, t), x ~ N(0, 16 I) and
    /// t ~ U(0, 1), and the scale to judge it by (the largest |v|, at least 1).
    /// </summary>
    public static (double Difference, double Scale) ParityError(Mlp network, string onnxPath)
    {
        const int n = 1000;
        int d = network.Dimension;
        var random = new RandomStream(11, 0);
        float[] x = Enumerable.Range(0, n * d).Select(_ => (float)(4 * random.NextGaussian())).ToArray();
        float[] t = Enumerable.Range(0, n).Select(_ => (float)random.NextUniform()).ToArray();
        float[] expected;
        using (no_grad())
        {
            expected = network.forward(tensor(x, [n, d]), tensor(t, [n])).data<float>().ToArray();
        }

        using var session = new InferenceSession(onnxPath);
        using var xValue = OrtValue.CreateTensorValueFromMemory(x, [n, d]);
        using var tValue = OrtValue.CreateTensorValueFromMemory(t, [n]);
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(new RunOptions(), ["x", "t"], [xValue, tValue], ["v"]);
        float[] actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        if (actual.Length != expected.Length)
        {
            return (double.PositiveInfinity, 1);
        }

        return (expected.Zip(actual, (e, a) => (double)Math.Abs(e - a)).Max(), Math.Max(1.0, expected.Max(Math.Abs)));
    }

    public static string Export(Mlp network, TrainingOptions options, string path)
    {
        AtomicFile.WriteAllBytes(path, MlpExporter.Export(network.ToWeights(), Metadata(options, network.Dimension)), overwrite: true);
        return path;
    }
}

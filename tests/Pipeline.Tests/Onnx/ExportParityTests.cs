using FlowMatching.Contract;
using FlowMatching.Training;
using FlowMatching.Training.Network;
using static TorchSharp.torch;

namespace FlowMatching.Tests;

[TestClass]
public sealed class ExportParityTests
{
    [TestMethod]
    [DataRow(Activation.Relu, 0)]
    [DataRow(Activation.Relu, 150)]
    [DataRow(Activation.Silu, 0)]
    [DataRow(Activation.Gelu, 0)]
    [DataRow(Activation.Silu, 60)]
    [DataRow(Activation.Gelu, 60)]
    public void OnnxRuntimeReproducesTorchSharpForward(Activation activation, int steps)
    {
        var options = new TrainingOptions { Steps = Math.Max(steps, 1), Batch = 256, Hidden = [64, 64, 64], Activation = activation, Seed = 3, ValidationBatch = 0 };
        using Mlp network = steps == 0
            ? FreshNetwork(options)
            : Models.Train(options);
        using var files = new TestFiles();
        string path = Models.Export(network, options, files["model.onnx"]);

        var (worst, scale) = Models.ParityError(network, path);
        Assert.IsTrue(worst <= 1e-5 * scale, $"max |torch - onnx| = {worst} at scale {scale}");
    }

    [TestMethod]
    [DataRow(1, "none")]
    [DataRow(5, "fourier:4")]
    public void ParityHoldsInOtherDimensions(int dimension, string timeEmbedding)
    {
        random.manual_seed(8);
        using var network = new Mlp(dimension, [32, 32], Activation.Silu, TimeEmbedding.Parse(timeEmbedding));
        var options = new TrainingOptions { Hidden = [32, 32], Activation = Activation.Silu, TimeEmbedding = network.TimeEmbedding };
        using var files = new TestFiles();
        var (worst, scale) = Models.ParityError(network, Models.Export(network, options, files["m.onnx"]));
        Assert.IsTrue(worst <= 1e-5 * scale, $"d = {dimension}: max |torch - onnx| = {worst} at scale {scale}");
    }

    private static Mlp FreshNetwork(TrainingOptions options)
    {
        random.manual_seed(options.Seed);
        return new Mlp(2, options.Hidden, options.Activation);
    }
}

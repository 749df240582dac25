using FlowMatching.Training.Network;
using FlowMatching.Training.Training;
using static TorchSharp.torch;

namespace FlowMatching.Tests;

[TestClass]
public sealed class ExportParityTests
{
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

        var (worst, scale) = Models.ParityError(network, path);
        Assert.IsTrue(worst <= 1e-5 * scale, $"max |torch - onnx| = {worst} at scale {scale}");
    }

    [TestMethod]
    [DataRow(1, "none")]
    [DataRow(5, "fourier:4")]
    public void ParityHoldsInOtherDimensions(int dimension, string timeEmbedding)
    {
        random.manual_seed(8);
        using var network = new VelocityNetwork(dimension, [32, 32], "silu", TimeEmbedding.Parse(timeEmbedding));
        var options = new TrainingOptions { Hidden = [32, 32], Activation = "silu", TimeEmbedding = timeEmbedding };
        using var files = new TestFiles();
        var (worst, scale) = Models.ParityError(network, Models.Export(network, options, files["m.onnx"]));
        Assert.IsTrue(worst <= 1e-5 * scale, $"d = {dimension}: max |torch - onnx| = {worst} at scale {scale}");
    }

    private static VelocityNetwork FreshNetwork(TrainingOptions options)
    {
        random.manual_seed(options.Seed);
        return new VelocityNetwork(2, options.Hidden, options.Activation);
    }
}

using FlowMatching.Contract;
using FlowMatching.Distributions;
using FlowMatching.Training.Network;
using FlowMatching.Training.Onnx;
using FlowMatching.Training.Training;
using static TorchSharp.torch;

namespace FlowMatching.Tests;

/// <summary>Builds small networks and exported models for tests.</summary>
public static class Models
{
    public static VelocityNetwork Train(TrainingOptions options) =>
        new Trainer(options, TargetCatalog.Parse(options.Target)).Train(CPU);

    public static ModelContract Metadata(TrainingOptions options, int dimension = 2) => new(
        "tests", "0", options.Interpolant, dimension, "normal(0,I)", options.Target, options.Hidden, options.Activation,
        options.Steps, options.Batch, options.Seed, 0.0);

    public static string Export(VelocityNetwork network, TrainingOptions options, string path)
    {
        OnnxExporter.Write(OnnxExporter.ToModel(network.ToWeights(), Metadata(options, network.Dimension).ToProperties(), "0"), path, overwrite: true);
        return path;
    }
}

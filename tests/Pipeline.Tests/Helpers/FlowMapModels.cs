using FlowMatching.Contract;
using FlowMatching.Io;
using FlowMatching.Training;
using FlowMatching.Training.Network;
using FlowMatching.Training.Onnx;
using static TorchSharp.torch;

namespace FlowMatching.Tests;

/// <summary>Small flow-map networks with random weights, their step parts random too (not the zeros they start at).</summary>
public static class FlowMapModels
{
    public static Mlp PointMap(int seed = 5)
    {
        random.manual_seed(seed);
        return new Mlp(2, [32, 32], Activation.Silu, TimeEmbedding.Fourier(2), takesStep: true);
    }

    public static UNet ImageMap(int classes = 3, int seed = 6)
    {
        random.manual_seed(seed);
        var network = new UNet(new UNetConfig([8, 16], 1, 8, 8, classes) { TakesStep = true });
        using (no_grad())
        {
            foreach ((string name, TorchSharp.Modules.Parameter parameter) in network.named_parameters().Where(p => p.name.StartsWith("step2", StringComparison.Ordinal)))
            {
                parameter.normal_(0, 0.3);
            }
        }

        return network;
    }

    public static ModelContract PointContract(Mlp network) =>
        Models.Metadata(new TrainingOptions { Hidden = network.Hidden, Activation = network.Activation, TimeEmbedding = network.TimeEmbedding, Objective = TrainingObjective.Shortcut }, network.Dimension);

    public static ModelContract ImageContract(UNet network) =>
        UNetExportTests.Contract(network.Config, [.. Enumerable.Range(0, network.Config.Classes).Select(c => $"class {c}")]) with
        {
            ModelKind = ModelKind.FlowMap,
            Recommended = new RecommendedSampling(OdeMethod.Euler, 2),
        };

    public static string RandomPointMap(string path)
    {
        using Mlp network = PointMap();
        AtomicFile.WriteAllBytes(path, MlpExporter.Export(network.ToWeights(), PointContract(network)), overwrite: true);
        return path;
    }

    public static string RandomImageMap(string path, int classes = 3)
    {
        using UNet network = ImageMap(classes);
        AtomicFile.WriteAllBytes(path, UNetExporter.Export(network, ImageContract(network)), overwrite: true);
        return path;
    }
}

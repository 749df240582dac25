using FlowMatching.Contract;
using FlowMatching.Training.Network;

namespace FlowMatching.Training.Onnx;

/// <summary>The one export call of training, checkpoint export and tests: the model file's bytes for any network.</summary>
public static class ModelExport
{
    public static byte[] Export(IFieldNetwork network, ModelContract contract) => network switch
    {
        Mlp mlp => MlpExporter.Export(mlp.ToWeights(), contract),
        UNet unet => UNetExporter.Export(unet, contract),
        _ => throw new ArgumentException($"no exporter for {network.GetType().Name}", nameof(network)),
    };
}

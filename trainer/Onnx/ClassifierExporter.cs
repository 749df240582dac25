using FlowMatching.Contract;
using FlowMatching.Training.Network;
using static FlowMatching.Training.Onnx.OnnxGraphBuilder;

namespace FlowMatching.Training.Onnx;

/// <summary>
/// Writes a <see cref="Classifier"/> at opset 17: x [batch, C, H, W] -> logits [batch, classes] and
/// features [batch, 128] (the penultimate layer, for Fréchet distances and nearest neighbours).
/// </summary>
public static class ClassifierExporter
{
    public const string LogitsOutput = "logits";
    public const string FeaturesOutput = "features";

    public static byte[] Export(Classifier network, ModelContract contract)
    {
        var weights = network.Parameters();
        var graph = new OnnxGraphBuilder("image_classifier");
        graph.Input(ModelSignature.PointsInput, ModelSignature.BatchDimension, network.Channels, network.Height, network.Width);
        graph.Output(LogitsOutput, ModelSignature.BatchDimension, network.Classes);
        graph.Output(FeaturesOutput, ModelSignature.BatchDimension, Classifier.FeatureWidth);
        string Weight(string name) => graph.Initializer(name, weights[name].Values, [.. weights[name].Shape]);
        string Conv(string module, string input) => graph.Node("Conv", $"{module}.conv", [input, Weight($"{module}.weight"), Weight($"{module}.bias")],
            IntsAttribute("kernel_shape", 3, 3), IntsAttribute("pads", 1, 1, 1, 1));
        string Pool(string name, string input) => graph.Node("MaxPool", name, [input], IntsAttribute("kernel_shape", 2, 2), IntsAttribute("strides", 2, 2));
        string h = Pool("pool1", graph.Node("Relu", "conv1.relu", [Conv("conv1", ModelSignature.PointsInput)]));
        h = Pool("pool2", graph.Node("Relu", "conv2.relu", [Conv("conv2", h)]));
        string flat = graph.Node("Flatten", "flat", [h], IntAttribute("axis", 1));
        string dense = graph.Node("Gemm", "features.linear", [flat, Weight("features.weight"), Weight("features.bias")], IntAttribute("transB", 1));
        string features = graph.Node("Relu", FeaturesOutput, [dense]);
        graph.Node("Gemm", LogitsOutput, [features, Weight("logits.weight"), Weight("logits.bias")], IntAttribute("transB", 1));
        return Google.Protobuf.MessageExtensions.ToByteArray(OnnxModelFile.Model(graph.Graph, contract, "Image classifier: class logits and the penultimate features."));
    }
}

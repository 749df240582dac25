using FlowMatching.Contract;
using FlowMatching.Training.Network;
using FlowMatching.Training.Onnx.Proto;
using Google.Protobuf;

namespace FlowMatching.Training.Onnx;

/// <summary>
/// Writes a velocity MLP as an ONNX model v = f(x, t) (see <see cref="ModelSignature"/>) in an
/// <see cref="OnnxModelFile"/>.
/// </summary>
public static class MlpExporter
{
    /// <summary>The model file's bytes: the one export call of training, checkpoint export and tests.</summary>
    public static byte[] Export(NetworkWeights weights, ModelContract contract) => ToModel(weights, contract).ToByteArray();

    public static ModelProto ToModel(NetworkWeights weights, ModelContract contract)
    {
        var graph = new OnnxGraphBuilder("velocity_field");
        graph.Input(ModelSignature.PointsInput, ModelSignature.BatchDimension, weights.Dimension);
        graph.Input(ModelSignature.TimeInput, ModelSignature.BatchDimension);
        graph.Output(ModelSignature.VelocityOutput, ModelSignature.BatchDimension, weights.Dimension);

        string axes = graph.Initializer("time_axes", [1L], 1);
        string timeColumn = graph.Node("Unsqueeze", "t_column", [ModelSignature.TimeInput, axes]);
        string[] timeFeatures = [timeColumn];
        if (weights.TimeEmbedding.Frequencies > 0)
        {
            float[] frequencies = weights.TimeEmbedding.AngularFrequencies;
            string angles = graph.Node("Mul", "t_angles", [timeColumn, graph.Initializer("time_frequencies", frequencies, 1, frequencies.Length)]);
            timeFeatures = [graph.Node("Sin", "t_sin", [angles]), graph.Node("Cos", "t_cos", [angles])];
        }

        string h = graph.Node("Concat", "x_t", [ModelSignature.PointsInput, .. timeFeatures], OnnxGraphBuilder.IntAttribute("axis", 1));

        for (int i = 0; i < weights.Layers.Count; i++)
        {
            DenseLayer layer = weights.Layers[i];
            bool last = i == weights.Layers.Count - 1;
            string w = graph.Initializer($"layer{i}.weight", layer.Weight, layer.Outputs, layer.Inputs);
            string b = graph.Initializer($"layer{i}.bias", layer.Bias, layer.Outputs);
            h = graph.Node("Gemm", last ? ModelSignature.VelocityOutput : $"layer{i}.linear", [h, w, b], OnnxGraphBuilder.IntAttribute("transB", 1));
            if (!last)
            {
                h = OnnxActivation.Append(graph, weights.Activation, h, $"layer{i}.{weights.Activation.Name()}");
            }
        }

        return OnnxModelFile.Model(graph.Graph, contract, "Velocity field b_t(x) of a stochastic interpolant: v = b(x, t).");
    }
}

using FlowMatching.Contract;
using FlowMatching.Training.Network;
using FlowMatching.Training.Onnx.Proto;
using Google.Protobuf;

namespace FlowMatching.Training.Onnx;

/// <summary>
/// Writes a velocity MLP as an ONNX model v = f(x, t), a flow map's as v = f(x, t, h) (see <see cref="ModelSignature"/>),
/// in an <see cref="OnnxModelFile"/>.
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

        if (weights.TakesStep)
        {
            graph.Input(ModelSignature.StepInput, ModelSignature.BatchDimension);
        }

        string axes = graph.Initializer("time_axes", [1L], 1);
        float[] frequencies = weights.TimeEmbedding.AngularFrequencies;
        string frequencyRow = frequencies.Length > 0 ? graph.Initializer("time_frequencies", frequencies, 1, frequencies.Length) : "";
        string[] Features(string input, string name)
        {
            string column = graph.Node("Unsqueeze", $"{name}_column", [input, axes]);
            if (frequencies.Length == 0)
            {
                return [column];
            }

            string angles = graph.Node("Mul", $"{name}_angles", [column, frequencyRow]);
            return [graph.Node("Sin", $"{name}_sin", [angles]), graph.Node("Cos", $"{name}_cos", [angles])];
        }

        string[] timeFeatures = [.. Features(ModelSignature.TimeInput, "t"), .. weights.TakesStep ? Features(ModelSignature.StepInput, "h") : []];
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

        return OnnxModelFile.Model(graph.Graph, contract, weights.TakesStep
            ? "Flow map of a stochastic interpolant: v = u(x, t, h), the average velocity over [t, t + h]."
            : "Velocity field b_t(x) of a stochastic interpolant: v = b(x, t).");
    }
}

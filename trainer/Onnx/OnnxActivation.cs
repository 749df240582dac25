using FlowMatching.Training.Network;

namespace FlowMatching.Training.Onnx;

/// <summary>Activations spelled in opset-17 operators (GELU has no single operator before opset 20).</summary>
public static class OnnxActivation
{
    public static string Append(OnnxGraphBuilder graph, Activation activation, string input, string output)
    {
        switch (activation)
        {
            case Activation.Relu:
                return graph.Node("Relu", output, [input]);
            case Activation.Silu:
                string sigmoid = graph.Node("Sigmoid", $"{output}.sigmoid", [input]);
                return graph.Node("Mul", output, [input, sigmoid]);
            case Activation.Gelu:
                // gelu(x) = 0.5 x (1 + erf(x / sqrt 2)), the exact form TorchSharp's GELU computes.
                string scaled = graph.Node("Mul", $"{output}.scaled", [input, Constant(graph, "inv_sqrt2", 1 / MathF.Sqrt(2))]);
                string erf = graph.Node("Erf", $"{output}.erf", [scaled]);
                string onePlus = graph.Node("Add", $"{output}.one_plus", [erf, Constant(graph, "one", 1f)]);
                string half = graph.Node("Mul", $"{output}.half_x", [input, Constant(graph, "half", 0.5f)]);
                return graph.Node("Mul", output, [half, onePlus]);
            default:
                throw new ArgumentOutOfRangeException(nameof(activation));
        }
    }

    private static string Constant(OnnxGraphBuilder graph, string name, float value)
    {
        string tensorName = $"const.{name}";
        if (!graph.Graph.Initializer.Any(i => i.Name == tensorName))
        {
            graph.Initializer(tensorName, [value]);
        }

        return tensorName;
    }
}

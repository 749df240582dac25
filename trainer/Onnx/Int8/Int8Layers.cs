using FlowMatching.Training.Onnx.Proto;

namespace FlowMatching.Training.Onnx;

/// <summary>Which layers of a graph the int8 rewrite takes: wide enough, and fed by an activation whose floor is known.</summary>
internal static class Int8Layers
{
    // A weight initializer of the given rank whose first two dimensions (outputs, inputs) are both wide, for a
    // node with a bias; null otherwise.
    public static TensorProto? Wide(NodeProto node, Dictionary<string, TensorProto> initializers, string opType, int rank) =>
        node.OpType == opType && node.Input.Count == 3 && initializers.ContainsKey(node.Input[2])
            && initializers.TryGetValue(node.Input[1], out TensorProto? weight) && weight.Dims.Count == rank
            && weight.Dims[0] >= (rank == 2 ? Int8Quantizer.MinimumWidth : Int8Quantizer.MinimumChannels) && weight.Dims[1] >= (rank == 2 ? Int8Quantizer.MinimumWidth : Int8Quantizer.MinimumChannels)
            ? weight
            : null;

    // The lowest value of the activation that produces a tensor, when it is one whose floor is known: ReLU (0)
    // or SiLU, x times sigmoid x (its minimum, rounded down); null otherwise.
    public static float? ActivationFloor(string tensor, Dictionary<string, NodeProto> producers)
    {
        if (!producers.TryGetValue(tensor, out NodeProto? node))
        {
            return null;
        }

        bool silu = node.OpType == "Mul" && node.Input.Count == 2 && node.Input.Any(i =>
            producers.TryGetValue(i, out NodeProto? sigmoid) && sigmoid.OpType == "Sigmoid" && node.Input.Contains(sigmoid.Input[0]) && sigmoid.Input[0] != i);
        return node.OpType == "Relu" ? 0 : silu ? SiluMinimum : null;
    }

    // min over x of x sigmoid(x) = -0.27846454 (at x = -1.2785), rounded down.
    private const float SiluMinimum = -0.2785f;
}

using FlowMatching.Contract;
using FlowMatching.Training.Onnx.Proto;

namespace FlowMatching.Training.Onnx;

/// <summary>
/// In an unrolled sampler each step's time is a constant, so whatever a step computes from t alone is the same
/// for every row. When the points enter the network as Concat(x, time features) into a fully connected layer
/// (this project's MLPs; a flow map's step size h is such a constant too), that layer splits into the columns that multiply x and those that multiply the time
/// features: fed the step's time as a single number, the time part becomes a bias that ONNX Runtime computes
/// once, when it loads the graph, and each step keeps one matrix product over x alone. Networks shaped otherwise
/// (the U-Net) are unrolled without this.
/// </summary>
internal sealed record TimeFolding(NodeProto Join, NodeProto Layer, string PointsWeight, string TimeWeight)
{
    /// <summary>The fold for <paramref name="graph"/>, its split weights added to <paramref name="target"/>; null if it has none.</summary>
    public static TimeFolding? Find(GraphProto graph, GraphProto target)
    {
        var consumers = graph.Node.SelectMany(n => n.Input.Distinct().Select(input => (input, n))).ToLookup(p => p.input, p => p.n);
        if (consumers[ModelSignature.PointsInput].SingleOrDefault() is not { OpType: "Concat" } join
            || join.Input[0] != ModelSignature.PointsInput || join.Input.Count(i => i == ModelSignature.PointsInput) != 1
            || Attribute(join, "axis") is not (1 or -1)
            || graph.Output.Any(o => o.Name == join.Output[0])
            || consumers[join.Output[0]].SingleOrDefault() is not { OpType: "Gemm" } layer
            || layer.Input[0] != join.Output[0] || Attribute(layer, "transB") != 1 || Attribute(layer, "transA") is not (null or 0)
            || layer.Attribute.Any(a => a.Name is "alpha" or "beta" && a.F != 1))
        {
            return null;
        }

        var initializers = graph.Initializer.ToDictionary(i => i.Name);
        var fromTimeAlone = new HashSet<string>(initializers.Keys) { ModelSignature.TimeInput, ModelSignature.StepInput, "" };
        foreach (NodeProto node in graph.Node.Where(n => n.Input.All(fromTimeAlone.Contains)))
        {
            fromTimeAlone.UnionWith(node.Output);
        }

        int width = graph.Input.Single(i => i.Name == ModelSignature.PointsInput).Type.TensorType.Shape.Dim is { Count: 2 } dims ? (int)dims[1].DimValue : 0;
        if (!join.Input.Skip(1).All(fromTimeAlone.Contains) || width <= 0
            || !initializers.TryGetValue(layer.Input[1], out TensorProto? weight) || weight.Dims.Count != 2 || weight.Dims[1] <= width
            || consumers[weight.Name].Count() != 1 || (layer.Input.Count > 2 && !initializers.ContainsKey(layer.Input[2])))
        {
            return null;
        }

        int outputs = (int)weight.Dims[0], inputs = (int)weight.Dims[1];
        float[] w = OnnxGraphBuilder.Floats(weight);
        float[] Columns(int from, int to) => Enumerable.Range(0, outputs).SelectMany(o => w[(o * inputs + from)..(o * inputs + to)]).ToArray();
        var builder = new OnnxGraphBuilder(target);
        return new TimeFolding(
            join,
            layer,
            builder.Initializer($"{weight.Name}.points", Columns(0, width), outputs, width),
            builder.Initializer($"{weight.Name}.time", Columns(width, inputs), outputs, inputs - width));
    }

    /// <summary>The initializer only the split layer used, which the unrolled graph no longer needs.</summary>
    public string FoldedWeight => Layer.Input[1];

    /// <summary>
    /// Appends step <paramref name="step"/>'s version of <paramref name="node"/> if it is the join or the split layer
    /// (<paramref name="map"/> names its tensors in that step); false for every other node.
    /// </summary>
    public bool Append(OnnxGraphBuilder builder, NodeProto node, string step, Func<string, string> map)
    {
        if (node == Join)
        {
            builder.Node("Concat", $"{step}/{Join.Output[0]}.time", Join.Input.Skip(1).Select(map), OnnxGraphBuilder.IntAttribute("axis", 1));
            return true;
        }

        if (node != Layer)
        {
            return false;
        }

        string[] bias = Layer.Input.Count > 2 && Layer.Input[2] != "" ? [map(Layer.Input[2])] : [];
        string timeBias = builder.Node("Gemm", $"{step}/{Layer.Output[0]}.time_bias", [$"{step}/{Join.Output[0]}.time", TimeWeight, .. bias], OnnxGraphBuilder.IntAttribute("transB", 1));
        builder.Node("Gemm", map(Layer.Output[0]), [map(ModelSignature.PointsInput), PointsWeight, timeBias], OnnxGraphBuilder.IntAttribute("transB", 1));
        return true;
    }

    private static long? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name)?.I;
}

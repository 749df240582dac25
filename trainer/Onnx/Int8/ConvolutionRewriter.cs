using FlowMatching.Training.Onnx.Proto;

namespace FlowMatching.Training.Onnx;

/// <summary>A convolution on each image's own int8 step (ConvInteger), rescaled by the image's scale and each output channel's.</summary>
internal static class ConvolutionRewriter
{
    // The lower end of a convolution's input divided by its scale: SiLU's outputs are at least -0.28 times it.
    private const float Low = -0.3f;

    // The uint8 level step that spans [Low, 1] of a row divided by its scale, and the level of 0.
    private const float Step = (1 - Low) / 255;

    private const int FloatType = (int)TensorProto.Types.DataType.Float;

    private static readonly byte ZeroLevel = (byte)Math.Round(-Low / Step);

    // A convolution on uint8 levels of each sample divided by its own scale (QuantizeLinear with the fixed step
    // of [Low, 1], so no sample depends on the others), ConvInteger with the int8 kernels, then rescaled by the
    // sample's scale times each output channel's, and the bias added.
    public static void Rewrite(OnnxGraphBuilder builder, NodeProto node, TensorProto weight, TensorProto bias)
    {
        int outputs = (int)weight.Dims[0], perOutput = (int)(weight.Dims[1] * weight.Dims[2] * weight.Dims[3]);
        (sbyte[] q, float[] scales) = PerChannelWeights.PerChannel(OnnxGraphBuilder.Floats(weight), outputs, perOutput, transpose: false);
        string name = node.Output[0];
        string sampleScale = RowScale(builder, name, node.Input[0], 1, 2, 3);
        string levels = builder.Node("QuantizeLinear", $"{name}.levels", [builder.Node("Div", $"{name}.divided", [node.Input[0], sampleScale]),
            builder.Initializer($"{name}.step", [Step]), builder.Uint8Initializer($"{name}.zero_point", [ZeroLevel])]);
        var convolution = new NodeProto { OpType = "ConvInteger", Name = $"{name}.int32", Output = { $"{name}.int32" } };
        convolution.Input.AddRange([levels, builder.Int8Initializer($"{weight.Name}.int8", q, [.. weight.Dims]), $"{name}.zero_point"]);
        convolution.Attribute.AddRange(node.Attribute);
        builder.Graph.Node.Add(convolution);
        string product = builder.Node("Cast", $"{name}.product", [convolution.Output[0]], Int("to", FloatType));
        string factor = builder.Node("Mul", $"{name}.factor", [sampleScale, builder.Initializer($"{weight.Name}.scale", scales.Select(c => c * Step).ToArray(), 1, outputs, 1, 1)]);
        builder.Node("Add", name, [builder.Node("Mul", $"{name}.rescaled", [product, factor]), builder.Initializer($"{bias.Name}.channels", OnnxGraphBuilder.Floats(bias), 1, outputs, 1, 1)]);
    }

    // The scale m of each row (each sample of a convolution's input) over the given axes, [rows, 1, ...]: x / m
    // lies in [Low, 1] (Low < 0 leaves room for the small negative values of SiLU and GELU; a row with larger
    // ones is scaled down).
    private static string RowScale(OnnxGraphBuilder builder, string name, string x, params long[] axes)
    {
        string highest = builder.Node("ReduceMax", $"{name}.row_highest", [x], OnnxGraphBuilder.IntsAttribute("axes", axes), Int("keepdims", 1));
        string lowest = builder.Node("ReduceMin", $"{name}.row_lowest", [x], OnnxGraphBuilder.IntsAttribute("axes", axes), Int("keepdims", 1));
        // Slightly inside Low, so that rounding cannot put the row's lowest value below it.
        string inside = builder.Initializer($"{name}.low_inside", [Low * 0.999f], 1);
        return builder.Node("Max", $"{name}.row_scale", [highest, builder.Node("Div", $"{name}.lowest_over_low", [lowest, inside]), builder.Initializer($"{name}.tiny", [1e-20f], 1)]);
    }

    private static AttributeProto Int(string name, long value) => OnnxGraphBuilder.IntAttribute(name, value);
}

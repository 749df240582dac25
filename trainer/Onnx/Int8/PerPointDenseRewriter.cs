using FlowMatching.Training.Onnx.Proto;

namespace FlowMatching.Training.Onnx;

/// <summary>A fully connected layer on each point's own int8 step, computed in the graph at every call.</summary>
internal static class PerPointDenseRewriter
{
    private const float Levels = 255;

    // A dense layer whose input is an activation with floor f (at least f everywhere): each row's uint8 levels
    // count steps above f, on a step of the row's own (QuantizeLinear per row, so no point depends on the others
    // in its batch), chosen so that level z_row sits exactly at 0 (z_row times the step is -f). Shifted by the
    // same f in every row, the product needs one constant correction, f times each output's weight sum, folded
    // into the bias; then ONNX Runtime's MatMulIntegerToFloat (VNNI products, the per-column weight scales) and
    // the product times the row's step. All 256 levels span [f, row maximum]; only rows whose maximum exceeds
    // 254 |f| get a coarser step than that (and an error of about one step in their shift).
    public static void Rewrite(OnnxGraphBuilder builder, NodeProto node, TensorProto weight, TensorProto bias, float floor)
    {
        string name = node.Output[0];
        string highest = builder.Node("ReduceMax", $"{name}.row_highest", [node.Input[0]], OnnxGraphBuilder.IntsAttribute("axes", 1), Int("keepdims", 1));
        string depth = builder.Node("Max", $"{name}.row_depth", [builder.Node("Sub", $"{name}.above_floor", [highest, builder.Initializer($"{name}.floor", [floor])]), builder.Initializer($"{name}.tiny", [1e-20f])]);
        string spanStep = builder.Node("Div", $"{name}.span_step", [depth, builder.Initializer($"{name}.levels_span", [Levels])]);
        string zeroLevel, stepColumn;
        if (floor < 0)
        {
            zeroLevel = builder.Node("Max", $"{name}.zero_level", [builder.Node("Floor", $"{name}.zero_level_floor", [builder.Node("Div", $"{name}.zero_level_exact", [builder.Initializer($"{name}.floor_levels", [-floor * Levels]), depth])]), builder.Initializer($"{name}.one", [1f])]);
            stepColumn = builder.Node("Max", $"{name}.row_step_column", [builder.Node("Div", $"{name}.exact_step", [builder.Initializer($"{name}.depth_below", [-floor]), zeroLevel]), spanStep]);
        }
        else
        {
            zeroLevel = builder.Node("Mul", $"{name}.zero_level", [spanStep, builder.Initializer($"{name}.nothing", [0f])]);
            stepColumn = spanStep;
        }

        string flat = builder.Initializer($"{name}.flat", [-1L], 1);
        string zeroPoints = builder.Node("Cast", $"{name}.zero_points", [builder.Node("Reshape", $"{name}.zero_levels", [zeroLevel, flat])], Int("to", (int)TensorProto.Types.DataType.Uint8));
        string levels = builder.Node("QuantizeLinear", $"{name}.levels", [node.Input[0], builder.Node("Reshape", $"{name}.row_step", [stepColumn, flat]), zeroPoints], Int("axis", 0));
        (sbyte[] q, float[] scales) = PerChannelWeights.IntegerProduct(builder, $"{name}.product", levels, weight, builder.Initializer($"{name}.unit", [1f]));
        int outputs = scales.Length, inputs = q.Length / outputs;
        float[] shiftedBias = OnnxGraphBuilder.Floats(bias);
        for (int o = 0; o < outputs; o++)
        {
            for (int i = 0; i < inputs; i++)
            {
                shiftedBias[o] += floor * q[i * outputs + o] * scales[o];
            }
        }

        builder.Node("Add", name, [builder.Node("Mul", $"{name}.rescaled", [$"{name}.product", stepColumn]), builder.Initializer($"{name}.shifted_bias", shiftedBias, outputs)]);
    }

    private static AttributeProto Int(string name, long value) => OnnxGraphBuilder.IntAttribute(name, value);
}

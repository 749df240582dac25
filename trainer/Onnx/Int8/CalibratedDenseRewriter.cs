using FlowMatching.Training.Onnx.Proto;

namespace FlowMatching.Training.Onnx;

/// <summary>A fully connected layer on one int8 step for all points, from the calibrated highest input.</summary>
internal static class CalibratedDenseRewriter
{
    private const float Levels = 255;

    // A dense layer on one step for all points, from the calibrated highest input h: 256 levels from the floor f
    // (level 0) up to at least h, the level of 0 an integer z so that 0 stays exact; the input above h saturates.
    // ONNX Runtime fuses the rest: QuantizeLinear with a scalar step, and MatMulIntegerToFloat with the step, the
    // per-column weight scales, z and the bias.
    public static void Rewrite(OnnxGraphBuilder builder, NodeProto node, TensorProto weight, TensorProto bias, float floor, float highest)
    {
        string name = node.Output[0];
        float span = Math.Max(highest - floor, 1e-6f) / Levels;
        byte zero = floor < 0 ? (byte)Math.Max(Math.Floor(-floor / span), 1) : (byte)0;
        string step = builder.Initializer($"{name}.step", [floor < 0 ? Math.Max(-floor / zero, span) : span]);
        string zeroLevel = builder.Uint8Initializer($"{name}.zero_level", [zero]);
        string levels = builder.Node("QuantizeLinear", $"{name}.levels", [node.Input[0], step, zeroLevel]);
        PerChannelWeights.IntegerProduct(builder, name, levels, weight, step, (zeroLevel, OnnxGraphBuilder.Floats(bias)));
    }
}

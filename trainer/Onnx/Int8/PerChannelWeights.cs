using FlowMatching.Training.Onnx.Proto;

namespace FlowMatching.Training.Onnx;

/// <summary>Int8 weights, one symmetric scale per output channel, and the integer matrix product that uses them.</summary>
internal static class PerChannelWeights
{
    // Symmetric per-output-channel quantization of w [outputs, inputs]; with transpose, laid out [inputs, outputs]
    // as a matrix product's B. Each channel's scale is the one of max |w| / 127 clipped to between half and all of
    // it that gives the least squared error: a few large weights otherwise coarsen the step for all the others.
    public static (sbyte[] Values, float[] Scales) PerChannel(float[] w, int outputs, int inputs, bool transpose)
    {
        var q = new sbyte[w.Length];
        var scales = new float[outputs];
        for (int o = 0; o < outputs; o++)
        {
            var row = new ArraySegment<float>(w, o * inputs, inputs);
            float max = 0;
            foreach (float v in row)
            {
                max = Math.Max(max, Math.Abs(v));
            }

            scales[o] = max == 0 ? 1 : Enumerable.Range(0, ClipCandidates).Select(c => max * (1 - c * 0.5f / (ClipCandidates - 1)) / 127)
                .MinBy(scale => SquaredError(row, scale));
            for (int i = 0; i < inputs; i++)
            {
                q[transpose ? i * outputs + o : o * inputs + i] = Level(row[i], scales[o]);
            }
        }

        return (q, scales);
    }

    private const int ClipCandidates = 51;

    private static sbyte Level(float w, float scale) => (sbyte)Math.Clamp(Math.Round(w / scale), -127, 127);

    private static double SquaredError(ArraySegment<float> row, float scale)
    {
        double sum = 0;
        foreach (float v in row)
        {
            double e = Level(v, scale) * scale - v;
            sum += e * e;
        }

        return sum;
    }
    // ONNX Runtime's MatMulIntegerToFloat of uint8 levels (on the given step) by the layer's weights, quantized
    // here per output channel and laid out [inputs, outputs]; with a zero level and bias when they are fused in.
    // Returns the int8 weights and their scales.
    public static (sbyte[] Values, float[] Scales) IntegerProduct(OnnxGraphBuilder builder, string output, string levels, TensorProto weight, string levelStep, (string ZeroLevel, float[] Bias)? fused = null)
    {
        int outputs = (int)weight.Dims[0], inputs = (int)weight.Dims[1];
        (sbyte[] q, float[] scales) = PerChannel(OnnxGraphBuilder.Floats(weight), outputs, inputs, transpose: true);
        var product = new NodeProto
        {
            OpType = "MatMulIntegerToFloat",
            Domain = Int8Quantizer.MicrosoftDomain,
            Name = output,
            Input = { levels, builder.Int8Initializer($"{weight.Name}.int8", q, inputs, outputs), levelStep, builder.Initializer($"{weight.Name}.scale", scales, outputs) },
            Output = { output },
        };
        if (fused is var (zeroLevel, bias))
        {
            product.Input.AddRange([zeroLevel, "", builder.Initializer($"{output}.bias", bias, outputs)]);
        }

        builder.Graph.Node.Add(product);
        return (q, scales);
    }
}

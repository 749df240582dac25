using System.Runtime.InteropServices;
using FlowMatching.Contract;
using FlowMatching.Errors;
using FlowMatching.Training.Onnx.Proto;

namespace FlowMatching.Training.Onnx;

/// <summary>
/// Rewrites a model's fully connected layers (Gemm with a weight initializer stored [out, in], transB = 1) to
/// int8: weights quantized per output channel (symmetric, scale = max |w| / 127), activations quantized per
/// call by DynamicQuantizeLinear, products by MatMulInteger, then rescaled to float and the bias added. The
/// rest of the graph is kept. Layers narrower than <see cref="MinimumWidth"/> on either side stay float: the
/// input layer mixes points (about +-10) with time features (+-1) that one activation scale would flatten, and
/// these layers cost little. The metadata says so under <see cref="MetadataKeys.Quantization"/>.
/// </summary>
public static class Int8Quantizer
{
    public const int MinimumWidth = 64;

    public static ModelProto Quantize(ModelProto model, string source)
    {
        if (model.MetadataProps.Any(p => p.Key is MetadataKeys.Quantization or MetadataKeys.Sampler))
        {
            throw new ModelContractException(source, "is already quantized or a sampler graph; quantize the plain velocity model", MetadataKeys.Quantization);
        }

        ModelProto quantized = model.Clone();
        GraphProto graph = quantized.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name);
        var builder = new OnnxGraphBuilder(graph);
        var nodes = graph.Node.ToList();
        graph.Node.Clear();
        int rewritten = 0;
        foreach (NodeProto node in nodes)
        {
            if (node.OpType != "Gemm" || node.Input.Count != 3 || !initializers.TryGetValue(node.Input[1], out TensorProto? weight)
                || !node.Attribute.Any(a => a.Name == "transB" && a.I == 1) || weight.Dims.Count != 2 || weight.Dims.Min() < MinimumWidth)
            {
                graph.Node.Add(node);
                continue;
            }

            int outputs = (int)weight.Dims[0], inputs = (int)weight.Dims[1];
            float[] w = MemoryMarshal.Cast<byte, float>(weight.RawData.Span).ToArray();
            (sbyte[] q, float[] scales) = PerChannel(w, outputs, inputs);
            string name = node.Output[0];
            string[] a = builder.Node("DynamicQuantizeLinear", $"{name}.quantized_input", 3, [node.Input[0]]);
            string wq = builder.Int8Initializer($"{weight.Name}.int8", q, inputs, outputs);
            string zero = builder.Int8Initializer($"{weight.Name}.zero_point", new sbyte[outputs], outputs);
            string product = builder.Node("MatMulInteger", $"{name}.int32", [a[0], wq, a[2], zero]);
            string real = builder.Node("Cast", $"{name}.float", [product], OnnxGraphBuilder.IntAttribute("to", (int)TensorProto.Types.DataType.Float));
            string scale = builder.Node("Mul", $"{name}.scale", [a[1], builder.Initializer($"{weight.Name}.scale", scales, outputs)]);
            builder.Node("Add", name, [builder.Node("Mul", $"{name}.rescaled", [real, scale]), node.Input[2]]);
            graph.Initializer.Remove(weight);
            rewritten++;
        }

        if (rewritten == 0)
        {
            throw new ModelContractException(source, "has no fully connected layer to quantize");
        }

        quantized.MetadataProps.Add(new StringStringEntryProto { Key = MetadataKeys.Quantization, Value = "int8-dynamic" });
        return quantized;
    }

    // Symmetric per-output-channel quantization, transposed to [in, out] as MatMulInteger's B.
    private static (sbyte[] Values, float[] Scales) PerChannel(float[] w, int outputs, int inputs)
    {
        var q = new sbyte[w.Length];
        var scales = new float[outputs];
        for (int o = 0; o < outputs; o++)
        {
            float max = 0;
            for (int i = 0; i < inputs; i++)
            {
                max = Math.Max(max, Math.Abs(w[o * inputs + i]));
            }

            scales[o] = max == 0 ? 1 : max / 127f;
            for (int i = 0; i < inputs; i++)
            {
                q[i * outputs + o] = (sbyte)Math.Clamp(Math.Round(w[o * inputs + i] / scales[o]), -127, 127);
            }
        }

        return (q, scales);
    }
}

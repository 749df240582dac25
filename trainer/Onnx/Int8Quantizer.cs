using System.Runtime.InteropServices;
using FlowMatching.Contract;
using FlowMatching.Errors;
using FlowMatching.Training.Onnx.Proto;

namespace FlowMatching.Training.Onnx;

/// <summary>
/// Rewrites a model's fully connected layers (Gemm with a weight initializer stored [out, in], transB = 1, fed by
/// a ReLU or SiLU) and convolutions to int8: weights quantized per output channel (symmetric), activations into
/// uint8 levels that never depend on the other points of a batch. Fully connected layers take either one step
/// per layer from a calibration on the model's own ODE paths (<see cref="ActivationScaling.Calibrated"/>:
/// QuantizeLinear and MatMulIntegerToFloat, both fused kernels) or each point's own step at every call
/// (<see cref="ActivationScaling.PerPoint"/>); convolutions take each image's own (ConvInteger). ONNX Runtime's
/// DynamicQuantizeMatMul was faster than per-point steps but sets one step from the whole batch, so its extreme
/// points set it for all and a point's result depends on its batch: measured on gmm8, an energy ratio of 3.5
/// against 1.9 with per-point steps (fp32: 1.6).
/// The rest of the graph is kept. Layers narrower than <see cref="MinimumWidth"/> (convolutions with fewer than
/// <see cref="MinimumChannels"/> channels) on either side stay float: the input layer mixes points (about
/// +-10) with time features (+-1) that one activation scale would flatten, and these layers cost little. The
/// metadata says so under <see cref="MetadataKeys.Quantization"/>.
/// </summary>
public static class Int8Quantizer
{
    public const int MinimumWidth = 64;

    // Convolutions with fewer channels in or out (the image's own channel at either end) stay float.
    public const int MinimumChannels = 16;

    // The lower end of a convolution's input divided by its scale: SiLU's outputs are at least -0.28 times it.
    private const float Low = -0.3f;

    // The uint8 level step that spans [Low, 1] of a row divided by its scale, and the level of 0.
    private const float Step = (1 - Low) / 255;
    private static readonly byte ZeroLevel = (byte)Math.Round(-Low / Step);

    public static Int8Model Quantize(ModelProto model, string source, ActivationScaling scaling)
    {
        if (model.MetadataProps.Any(p => p.Key is MetadataKeys.Quantization or MetadataKeys.Sampler))
        {
            throw new ModelContractException(source, "is already quantized or a sampler graph; quantize the plain velocity model", MetadataKeys.Quantization);
        }

        ModelProto quantized = model.Clone();
        GraphProto graph = quantized.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name);
        var nodes = graph.Node.ToList();
        var producers = nodes.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        var dense = nodes.Select(n => (Node: n, Weight: Wide(n, initializers, "Gemm", 2), Floor: ActivationFloor(n.Input.FirstOrDefault() ?? "", producers)))
            .Where(d => d.Weight is not null && d.Floor is not null && d.Node.Attribute.Any(a => a.Name == "transB" && a.I == 1))
            .ToDictionary(d => d.Node, d => (Weight: d.Weight!, Floor: d.Floor!.Value));
        IReadOnlyDictionary<string, float>? highest = scaling == ActivationScaling.Calibrated && dense.Count > 0
            ? ActivationCalibration.Measure(model, [.. dense.Keys.Select(n => n.Input[0]).Distinct()], source)
            : null;
        var builder = new OnnxGraphBuilder(graph);
        graph.Node.Clear();
        int convolutions = 0;
        foreach (NodeProto node in nodes)
        {
            if (dense.TryGetValue(node, out var layer))
            {
                if (highest is null)
                {
                    Dense(builder, node, layer.Weight, initializers[node.Input[2]], layer.Floor);
                }
                else
                {
                    CalibratedDense(builder, node, layer.Weight, initializers[node.Input[2]], layer.Floor, highest[node.Input[0]]);
                }
            }
            else if (Wide(node, initializers, "Conv", 4) is { } kernel && !node.Attribute.Any(a => a.Name == "group" && a.I != 1))
            {
                Convolution(builder, node, kernel, initializers[node.Input[2]]);
                convolutions++;
            }
            else
            {
                graph.Node.Add(node);
                continue;
            }

            graph.Initializer.Remove(initializers[node.Input[1]]);
            graph.Initializer.Remove(initializers[node.Input[2]]);
        }

        if (dense.Count + convolutions == 0)
        {
            throw new ModelContractException(source, "has no fully connected or convolution layer to quantize");
        }

        quantized.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
        quantized.MetadataProps.Add(new StringStringEntryProto { Key = MetadataKeys.Quantization, Value = highest is null ? "int8-dynamic" : "int8-calibrated" });
        return new Int8Model(quantized, dense.Count, convolutions);
    }

    private const int FloatType = (int)TensorProto.Types.DataType.Float;

    // A weight initializer of the given rank whose first two dimensions (outputs, inputs) are both wide, for a
    // node with a bias; null otherwise.
    private static TensorProto? Wide(NodeProto node, Dictionary<string, TensorProto> initializers, string opType, int rank) =>
        node.OpType == opType && node.Input.Count == 3 && initializers.ContainsKey(node.Input[2])
            && initializers.TryGetValue(node.Input[1], out TensorProto? weight) && weight.Dims.Count == rank
            && weight.Dims[0] >= (rank == 2 ? MinimumWidth : MinimumChannels) && weight.Dims[1] >= (rank == 2 ? MinimumWidth : MinimumChannels)
            ? weight
            : null;

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

    // A dense layer on one step for all points, from the calibrated highest input h: 256 levels from the floor f
    // (level 0) up to at least h, the level of 0 an integer z so that 0 stays exact; the input above h saturates.
    // ONNX Runtime fuses the rest: QuantizeLinear with a scalar step, and MatMulIntegerToFloat with the step, the
    // per-column weight scales, z and the bias.
    private static void CalibratedDense(OnnxGraphBuilder builder, NodeProto node, TensorProto weight, TensorProto bias, float floor, float highest)
    {
        string name = node.Output[0];
        float span = Math.Max(highest - floor, 1e-6f) / Levels;
        byte zero = floor < 0 ? (byte)Math.Max(Math.Floor(-floor / span), 1) : (byte)0;
        string step = builder.Initializer($"{name}.step", [floor < 0 ? Math.Max(-floor / zero, span) : span]);
        string zeroLevel = builder.Uint8Initializer($"{name}.zero_level", [zero]);
        string levels = builder.Node("QuantizeLinear", $"{name}.levels", [node.Input[0], step, zeroLevel]);
        IntegerProduct(builder, name, levels, weight, step, (zeroLevel, OnnxGraphBuilder.Floats(bias)));
    }

    // A dense layer whose input is an activation with floor f (at least f everywhere): each row's uint8 levels
    // count steps above f, on a step of the row's own (QuantizeLinear per row, so no point depends on the others
    // in its batch), chosen so that level z_row sits exactly at 0 (z_row times the step is -f). Shifted by the
    // same f in every row, the product needs one constant correction, f times each output's weight sum, folded
    // into the bias; then ONNX Runtime's MatMulIntegerToFloat (VNNI products, the per-column weight scales) and
    // the product times the row's step. All 256 levels span [f, row maximum]; only rows whose maximum exceeds
    // 254 |f| get a coarser step than that (and an error of about one step in their shift).
    private static void Dense(OnnxGraphBuilder builder, NodeProto node, TensorProto weight, TensorProto bias, float floor)
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
        (sbyte[] q, float[] scales) = IntegerProduct(builder, $"{name}.product", levels, weight, builder.Initializer($"{name}.unit", [1f]));
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

    // ONNX Runtime's MatMulIntegerToFloat of uint8 levels (on the given step) by the layer's weights, quantized
    // here per output channel and laid out [inputs, outputs]; with a zero level and bias when they are fused in.
    // Returns the int8 weights and their scales.
    private static (sbyte[] Values, float[] Scales) IntegerProduct(OnnxGraphBuilder builder, string output, string levels, TensorProto weight, string levelStep, (string ZeroLevel, float[] Bias)? fused = null)
    {
        int outputs = (int)weight.Dims[0], inputs = (int)weight.Dims[1];
        (sbyte[] q, float[] scales) = PerChannel(OnnxGraphBuilder.Floats(weight), outputs, inputs, transpose: true);
        var product = new NodeProto
        {
            OpType = "MatMulIntegerToFloat",
            Domain = MicrosoftDomain,
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

    // The lowest value of the activation that produces a tensor, when it is one whose floor is known: ReLU (0)
    // or SiLU, x times sigmoid x (its minimum, rounded down); null otherwise.
    private static float? ActivationFloor(string tensor, Dictionary<string, NodeProto> producers)
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

    private const float Levels = 255;

    // A convolution on uint8 levels of each sample divided by its own scale (QuantizeLinear with the fixed step
    // of [Low, 1], so no sample depends on the others), ConvInteger with the int8 kernels, then rescaled by the
    // sample's scale times each output channel's, and the bias added.
    private static void Convolution(OnnxGraphBuilder builder, NodeProto node, TensorProto weight, TensorProto bias)
    {
        int outputs = (int)weight.Dims[0], perOutput = (int)(weight.Dims[1] * weight.Dims[2] * weight.Dims[3]);
        (sbyte[] q, float[] scales) = PerChannel(OnnxGraphBuilder.Floats(weight), outputs, perOutput, transpose: false);
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

    private const string MicrosoftDomain = "com.microsoft";

    private static AttributeProto Int(string name, long value) => OnnxGraphBuilder.IntAttribute(name, value);

    // Symmetric per-output-channel quantization of w [outputs, inputs]; with transpose, laid out [inputs, outputs]
    // as a matrix product's B. Each channel's scale is the one of max |w| / 127 clipped to between half and all of
    // it that gives the least squared error: a few large weights otherwise coarsen the step for all the others.
    private static (sbyte[] Values, float[] Scales) PerChannel(float[] w, int outputs, int inputs, bool transpose)
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
}

/// <summary>A quantized model and what was rewritten in it.</summary>
public sealed record Int8Model(ModelProto Model, int DenseLayers, int Convolutions);

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
/// points set it for all and a point's result depends on its batch (models/README.md, gmm8-int8).
/// The rest of the graph is kept. Layers are matched by <see cref="Int8Layers"/>, weights quantized by
/// <see cref="PerChannelWeights"/>, and each kind rewritten by its own rewriter. Layers narrower than <see cref="MinimumWidth"/> (convolutions with fewer than
/// <see cref="MinimumChannels"/> channels) on either side stay float: the input layer mixes points (about
/// +-10) with time features (+-1) that one activation scale would flatten, and these layers cost little. The
/// metadata says so under <see cref="MetadataKeys.Quantization"/>.
/// </summary>
public static class Int8Quantizer
{
    public const int MinimumWidth = 64;

    // Convolutions with fewer channels in or out (the image's own channel at either end) stay float.
    public const int MinimumChannels = 16;

    public const string MicrosoftDomain = "com.microsoft";

    public static Int8Model Quantize(ModelProto model, string source, ActivationScaling scaling, CancellationToken cancellationToken = default)
    {
        if (model.Contract(source) is { Quantization: not null } or { Sampler: not null })
        {
            throw new ModelContractException(source, "is already quantized or a sampler graph; quantize the plain velocity model", MetadataKeys.Quantization);
        }

        ModelProto quantized = model.Clone();
        GraphProto graph = quantized.Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name);
        var nodes = graph.Node.ToList();
        var producers = nodes.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        var dense = nodes.Select(n => (Node: n, Weight: Int8Layers.Wide(n, initializers, "Gemm", 2), Floor: Int8Layers.ActivationFloor(n.Input.FirstOrDefault() ?? "", producers)))
            .Where(d => d.Weight is not null && d.Floor is not null && d.Node.Attribute.Any(a => a.Name == "transB" && a.I == 1))
            .ToDictionary(d => d.Node, d => (Weight: d.Weight!, Floor: d.Floor!.Value));
        IReadOnlyDictionary<string, float>? highest = scaling == ActivationScaling.Calibrated && dense.Count > 0
            ? ActivationCalibration.Measure(model, [.. dense.Keys.Select(n => n.Input[0]).Distinct()], source, cancellationToken)
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
                    PerPointDenseRewriter.Rewrite(builder, node, layer.Weight, initializers[node.Input[2]], layer.Floor);
                }
                else
                {
                    CalibratedDenseRewriter.Rewrite(builder, node, layer.Weight, initializers[node.Input[2]], layer.Floor, highest[node.Input[0]]);
                }
            }
            else if (Int8Layers.Wide(node, initializers, "Conv", 4) is { } kernel && !node.Attribute.Any(a => a.Name == "group" && a.I != 1))
            {
                ConvolutionRewriter.Rewrite(builder, node, kernel, initializers[node.Input[2]]);
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
        quantized.Add(ModelContract.QuantizationProperty(highest is null ? Quantization.Int8Dynamic : Quantization.Int8Calibrated));
        return new Int8Model(quantized, dense.Count, convolutions);
    }

}

/// <summary>A quantized model and what was rewritten in it.</summary>
public sealed record Int8Model(ModelProto Model, int DenseLayers, int Convolutions);

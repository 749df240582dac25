using FlowMatching.Contract;
using FlowMatching.Training.Network;
using FlowMatching.Training.Onnx.Proto;
using Google.Protobuf;
using static FlowMatching.Training.Onnx.OnnxGraphBuilder;

namespace FlowMatching.Training.Onnx;

/// <summary>
/// Writes a <see cref="UNet"/> as an ONNX model v = f(x, t[, y]) at opset 17 / IR 8 like the point models:
/// x [batch, C, H, W], t [batch], y [batch] (int64 class, the null class for unconditional; only when the
/// network has classes), h [batch] (a flow map's step size) -> v [batch, C, H, W]. GroupNorm, which opset 17 lacks, is InstanceNormalization
/// over the image reshaped to [batch, groups, -1], then the per-channel scale and shift.
/// </summary>
public static class UNetExporter
{
    private const float GroupNormEpsilon = 1e-5f;

    public static byte[] Export(UNet network, ModelContract contract) => ToModel(network, contract).ToByteArray();

    public static ModelProto ToModel(UNet network, ModelContract contract)
    {
        UNetConfig config = network.Config;
        var weights = network.Parameters();
        var graph = new OnnxGraphBuilder("image_velocity_field");
        var writer = new Writer(graph, weights, config.Groups);
        graph.Input(ModelSignature.PointsInput, ModelSignature.BatchDimension, config.ImageChannels, config.Height, config.Width);
        graph.Input(ModelSignature.TimeInput, ModelSignature.BatchDimension);
        if (config.Classes > 0)
        {
            graph.Int64Input(ModelSignature.ClassInput, ModelSignature.BatchDimension);
        }

        if (config.TakesStep)
        {
            graph.Input(ModelSignature.StepInput, ModelSignature.BatchDimension);
        }

        graph.Output(ModelSignature.VelocityOutput, ModelSignature.BatchDimension, config.ImageChannels, config.Height, config.Width);

        float[] frequencies = UNet.TimeFrequencies(config);
        string axis = graph.Initializer("axis_1", [1L], 1);
        string frequencyRow = graph.Initializer("time_frequencies", frequencies, 1, frequencies.Length);
        string Features(string input, string name)
        {
            string angles = graph.Node("Mul", $"{name}_angles", [graph.Node("Unsqueeze", $"{name}_column", [input, axis]), frequencyRow]);
            return graph.Node("Concat", $"{name}_features", [graph.Node("Sin", $"{name}_sin", [angles]), graph.Node("Cos", $"{name}_cos", [angles])], IntAttribute("axis", 1));
        }

        string embedded = writer.Linear("time2", writer.Silu("time1.silu", writer.Linear("time1", Features(ModelSignature.TimeInput, "t"))));
        if (config.TakesStep)
        {
            string step = writer.Linear("step2", writer.Silu("step1.silu", writer.Linear("step1", Features(ModelSignature.StepInput, "h"))));
            embedded = graph.Node("Add", "time_step_embedding", [embedded, step]);
        }

        if (config.Classes > 0)
        {
            string table = graph.Initializer("classes.weight", weights["classes.weight"].Values, [.. weights["classes.weight"].Shape]);
            embedded = graph.Node("Add", "embedding", [embedded, graph.Node("Gather", "class_embedding", [table, ModelSignature.ClassInput], IntAttribute("axis", 0))]);
        }

        string h = writer.Conv("input", ModelSignature.PointsInput);
        var skips = new List<string>();
        int levels = config.Channels.Count - 1;
        for (int level = 0; level < levels; level++)
        {
            h = writer.Block($"down.{level}", h, embedded);
            skips.Add(h);
            h = writer.Conv($"downsample.{level}", h, stride: 2);
        }

        h = writer.Block("middle.1", writer.Block("middle.0", h, embedded), embedded);
        string scales = graph.Initializer("upsample_scales", [1f, 1f, 2f, 2f], 4);
        for (int i = 0; i < levels; i++)
        {
            string upsampled = graph.Node("Resize", $"up.{i}.upsample", [h, "", scales],
                StringAttribute("mode", "nearest"), StringAttribute("coordinate_transformation_mode", "asymmetric"), StringAttribute("nearest_mode", "floor"));
            h = writer.Block($"up.{i}", graph.Node("Concat", $"up.{i}.concat", [upsampled, skips[^(i + 1)]], IntAttribute("axis", 1)), embedded);
        }

        writer.Conv("output", writer.Silu("output.silu", writer.GroupNorm("outputNorm", h)), output: ModelSignature.VelocityOutput);
        return OnnxModelFile.Model(graph.Graph, contract, config.TakesStep
            ? "Flow map of a stochastic interpolant on images: v = u(x, t, h, y), the average velocity over [t, t + h]."
            : "Velocity field b_t(x, y) of a stochastic interpolant on images: v = b(x, t, y).");
    }

    // Appends the U-Net's layers by the TorchSharp parameter names of the module they come from.
    private sealed class Writer(OnnxGraphBuilder graph, IReadOnlyDictionary<string, (float[] Values, long[] Shape)> weights, int groups)
    {
        public string Weight(string name) => graph.Initializer(name, weights[name].Values, [.. weights[name].Shape]);

        public string Linear(string module, string input) =>
            graph.Node("Gemm", $"{module}.linear", [input, Weight($"{module}.weight"), Weight($"{module}.bias")], IntAttribute("transB", 1));

        public string Silu(string name, string input) => graph.Node("Mul", name, [input, graph.Node("Sigmoid", $"{name}.sigmoid", [input])]);

        public string Conv(string module, string input, int stride = 1, string? output = null)
        {
            long kernel = weights[$"{module}.weight"].Shape[2];
            long pad = kernel / 2;
            return graph.Node("Conv", output ?? $"{module}.conv", [input, Weight($"{module}.weight"), Weight($"{module}.bias")],
                IntsAttribute("kernel_shape", kernel, kernel), IntsAttribute("pads", pad, pad, pad, pad), IntsAttribute("strides", stride, stride));
        }

        public string GroupNorm(string module, string input)
        {
            long channels = weights[$"{module}.weight"].Shape[0];
            string grouped = graph.Node("Reshape", $"{module}.grouped", [input, graph.Initializer($"{module}.group_shape", [0L, groups, -1L], 3)]);
            float[] ones = Enumerable.Repeat(1f, groups).ToArray();
            string normalised = graph.Node("InstanceNormalization", $"{module}.normalised",
                [grouped, graph.Initializer($"{module}.group_scale", ones, groups), graph.Initializer($"{module}.group_bias", new float[groups], groups)],
                FloatAttribute("epsilon", GroupNormEpsilon));
            string restored = graph.Node("Reshape", $"{module}.restored", [normalised, graph.Node("Shape", $"{module}.shape", [input])]);
            string scale = graph.Initializer($"{module}.weight", weights[$"{module}.weight"].Values, channels, 1, 1);
            string shift = graph.Initializer($"{module}.bias", weights[$"{module}.bias"].Values, channels, 1, 1);
            return graph.Node("Add", $"{module}.norm", [graph.Node("Mul", $"{module}.scaled", [restored, scale]), shift]);
        }

        public string Block(string module, string input, string embedded)
        {
            string h = Conv($"{module}.conv1", Silu($"{module}.silu1", GroupNorm($"{module}.norm1", input)));
            string projected = Linear($"{module}.embedding", Silu($"{module}.embedding.silu", embedded));
            string spatial = graph.Node("Unsqueeze", $"{module}.embedding.spatial", [projected, graph.Initializer($"{module}.axes_2_3", [2L, 3L], 2)]);
            h = graph.Node("Add", $"{module}.conditioned", [h, spatial]);
            h = Conv($"{module}.conv2", Silu($"{module}.silu2", GroupNorm($"{module}.norm2", h)));
            string skip = weights.ContainsKey($"{module}.skip.weight") ? Conv($"{module}.skip", input) : input;
            return graph.Node("Add", $"{module}.out", [skip, h]);
        }
    }
}

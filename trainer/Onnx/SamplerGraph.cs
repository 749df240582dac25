using System.Globalization;
using FlowMatching.Contract;
using FlowMatching.Errors;
using FlowMatching.Training.Onnx.Proto;
using Google.Protobuf;

namespace FlowMatching.Training.Onnx;

/// <summary>
/// The whole K-step Euler sampler as one ONNX graph, z (and y for class-conditional models) -> x1: the velocity
/// field's nodes repeated K times with t_k = k / K (and a flow map's step size h = 1 / K), all steps sharing the field's weights (the time part of an
/// MLP's first layer folded into a per-step bias: <see cref="TimeFolding"/>), then the data's standardisation undone. Any ONNX Runtime (Python, C++, JavaScript) samples it in one call with no
/// integrator code. The metadata is the field's plus <see cref="MetadataKeys.Sampler"/>.
/// </summary>
public static class SamplerGraph
{
    public static ModelProto Unroll(ModelProto field, int steps, string source)
    {
        if (steps is < 1 or > 1000)
        {
            throw new InvalidSettingException("Steps", $"must be between 1 and 1000 for a sampler graph, not {steps}");
        }

        ModelContract? contract = field.Contract(source);
        if (contract?.Sampler is not null)
        {
            throw new ModelContractException(source, "is already a sampler graph", MetadataKeys.Sampler);
        }

        GraphProto graph = field.Graph;
        ValueInfoProto x = graph.Input.FirstOrDefault(i => i.Name == ModelSignature.PointsInput)
            ?? throw new ModelContractException(source, "has no input x: only this project's velocity models can be unrolled");
        if (!graph.Input.Any(i => i.Name == ModelSignature.TimeInput) || !graph.Output.Any(o => o.Name == ModelSignature.VelocityOutput))
        {
            throw new ModelContractException(source, "needs inputs x and t and the output v to be unrolled");
        }

        var unrolled = new GraphProto { Name = $"euler_{steps}_sampler" };
        unrolled.Initializer.AddRange(graph.Initializer);
        TimeFolding? fold = TimeFolding.Find(graph, unrolled);
        if (fold is not null)
        {
            unrolled.Initializer.Remove(unrolled.Initializer.Single(i => i.Name == fold.FoldedWeight));
        }

        unrolled.Input.Add(Renamed(x, ModelSignature.NoiseInput));
        unrolled.Input.AddRange(graph.Input.Where(i => i.Name == ModelSignature.ClassInput));
        unrolled.Output.Add(Renamed(x, ModelSignature.SampleOutput));
        var builder = new OnnxGraphBuilder(unrolled);
        // Without the fold a step's time is a column as long as the batch.
        string? batch = fold is not null ? null : builder.Node("Slice", "sampler/batch_size", [builder.Node("Shape", "sampler/z_shape", [ModelSignature.NoiseInput]), builder.Initializer("sampler/zero", [0L], 1), builder.Initializer("sampler/one", [1L], 1)]);
        string h = builder.Initializer("sampler/step_size", [1f / steps], 1);
        bool flowMap = graph.Input.Any(i => i.Name == ModelSignature.StepInput);
        string stepInput = flowMap && fold is null ? builder.Node("Expand", "sampler/h", [h, batch!]) : h;
        var shared = new HashSet<string>(graph.Initializer.Select(i => i.Name).Append(ModelSignature.ClassInput));
        string state = ModelSignature.NoiseInput;
        for (int k = 0; k < steps; k++)
        {
            string time = builder.Initializer($"step{k}/t_value", [(float)k / steps], 1);
            if (fold is null)
            {
                time = builder.Node("Expand", $"step{k}/t", [time, batch!]);
            }

            string Map(string name) => name switch
            {
                "" => "",
                ModelSignature.PointsInput => state,
                ModelSignature.TimeInput => time,
                ModelSignature.StepInput => stepInput,
                _ when shared.Contains(name) => name,
                _ => $"step{k}/{name}",
            };

            foreach (NodeProto node in graph.Node)
            {
                if (fold?.Append(builder, node, $"step{k}", Map) == true)
                {
                    continue;
                }

                NodeProto copy = node.Clone();
                copy.Name = $"step{k}/{node.Name}";
                copy.Input.Clear();
                copy.Input.AddRange(node.Input.Select(Map));
                copy.Output.Clear();
                copy.Output.AddRange(node.Output.Select(Map));
                unrolled.Node.Add(copy);
            }

            string moved = builder.Node("Mul", $"step{k}/h_v", [Map(ModelSignature.VelocityOutput), h]);
            state = builder.Node("Add", k == steps - 1 && contract?.DataMean is not { Count: > 0 } ? ModelSignature.SampleOutput : $"step{k}/x_next", [state, moved]);
        }

        if (contract is { DataMean.Count: > 0 })
        {
            IReadOnlyList<double> mean = contract.DataMean, std = contract.DataStd;
            string scaled = builder.Node("Mul", "sampler/data_scaled", [state, builder.Initializer("sampler/data_std", std.Select(v => (float)v).ToArray(), 1, std.Count)]);
            builder.Node("Add", ModelSignature.SampleOutput, [scaled, builder.Initializer("sampler/data_mean", mean.Select(v => (float)v).ToArray(), 1, mean.Count)]);
        }

        var model = field.Clone();
        model.Graph = unrolled;
        model.DocString = flowMap
            ? $"Sampler of a stochastic-interpolant flow map, {steps} steps x + h u(x, t, h): x1 = sampler(z)."
            : $"Euler sampler of a stochastic-interpolant velocity field, {steps} steps: x1 = sampler(z).";
        // The field's recommended sampler does not apply to a graph that runs its own, which returns samples, not velocities.
        foreach (StringStringEntryProto recommended in model.MetadataProps.Where(p => RecommendedSampling.Keys.Contains(p.Key) || p.Key == MetadataKeys.ModelKind).ToList())
        {
            model.MetadataProps.Remove(recommended);
        }

        model.Add(ModelContract.SamplerProperty(new SamplerSpec(OdeMethod.Euler, steps)));
        return model;
    }

    private static ValueInfoProto Renamed(ValueInfoProto value, string name)
    {
        ValueInfoProto copy = value.Clone();
        copy.Name = name;
        return copy;
    }
}

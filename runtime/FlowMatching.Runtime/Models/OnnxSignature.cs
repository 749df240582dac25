using FlowMatching.Contract;
using FlowMatching.Errors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FlowMatching.Runtime.Models;

/// <summary>
/// Where a velocity model's points and times go. This project's models name them x and t; a model from
/// elsewhere (torch.onnx.export, say) is read by shape: the rank-2 input of width d is x, and the rank-1
/// [N] or rank-2 [N, 1] input is t. An image model takes x [N, C, H, W], t [N] and, when class-conditional,
/// y [N] (int64), and returns v shaped as x. A flow-map model takes h [N] (float) beside them.
/// </summary>
public sealed record OnnxSignature(string PointsInput, string TimeInput, bool TimeIsColumn, string Output, int Dimension)
{
    /// <summary>The shape of one sample: [d] for points, [C, H, W] for images.</summary>
    public IReadOnlyList<int> SampleShape { get; init; } = [Dimension];

    /// <summary>The int64 class input of a class-conditional model; null otherwise.</summary>
    public string? ClassInput { get; init; }

    /// <summary>The float [N] step-size input h of a flow-map model; null for a velocity field.</summary>
    public string? StepInput { get; init; }

    public static OnnxSignature Resolve(InferenceSession session, string source)
    {
        string? step = null;
        if (session.InputMetadata.TryGetValue(ModelSignature.StepInput, out NodeMetadata? h))
        {
            step = h.ElementDataType == TensorElementType.Float && h.Dimensions.Length == 1
                ? ModelSignature.StepInput
                : throw new ModelContractException(source, $"a flow map's step input h must be float [N], found {Describe(session.InputMetadata)}");
        }

        OnnxSignature signature = session.InputMetadata.TryGetValue(ModelSignature.PointsInput, out NodeMetadata? x) && x.Dimensions.Length == 4
            ? ResolveImage(session, source, x, step is null ? 0 : 1)
            : ResolvePoints(session, source, step);
        return signature with { StepInput = step };
    }

    private static OnnxSignature ResolvePoints(InferenceSession session, string source, string? step)
    {
        var inputs = session.InputMetadata.Where(i => i.Value.ElementDataType == TensorElementType.Float && i.Key != step).ToArray();
        if (session.InputMetadata.Count != (step is null ? 2 : 3) || inputs.Length != 2)
        {
            throw new ModelContractException(source, $"a velocity model takes two float inputs (points [N, d] and times [N]), this one takes {Describe(session.InputMetadata)}");
        }

        bool IsTime(KeyValuePair<string, NodeMetadata> input) =>
            input.Value.Dimensions.Length == 1 || (input.Value.Dimensions.Length == 2 && input.Value.Dimensions[1] == 1);

        (KeyValuePair<string, NodeMetadata> points, KeyValuePair<string, NodeMetadata> time) =
            inputs.Any(i => i.Key == ModelSignature.PointsInput) && inputs.Any(i => i.Key == ModelSignature.TimeInput)
                ? (inputs.Single(i => i.Key == ModelSignature.PointsInput), inputs.Single(i => i.Key == ModelSignature.TimeInput))
                : inputs.Count(IsTime) == 1
                    ? (inputs.Single(i => !IsTime(i)), inputs.Single(IsTime))
                    : (inputs[0], inputs[1]); // d = 1 makes both look like times: take forward(x, t)'s order.

        if (points.Value.Dimensions.Length != 2 || points.Value.Dimensions[1] <= 0 || !IsTime(time))
        {
            throw new ModelContractException(source, $"expected points [N, d] with a fixed d and times [N] or [N, 1], found {Describe(session.InputMetadata)}");
        }

        int d = points.Value.Dimensions[1];
        if (session.OutputMetadata.Count < 1)
        {
            throw new ModelContractException(source, "the model has no output");
        }

        var output = session.OutputMetadata.First();
        int[] outDims = output.Value.Dimensions;
        if (output.Value.ElementDataType != TensorElementType.Float || outDims.Length != 2 || (outDims[1] > 0 && outDims[1] != d))
        {
            throw new ModelContractException(source, $"the output '{output.Key}' must be float [N, {d}] like the points, found {Describe(session.OutputMetadata)}");
        }

        return new OnnxSignature(points.Key, time.Key, time.Value.Dimensions.Length == 2, output.Key, d);
    }

    private static OnnxSignature ResolveImage(InferenceSession session, string source, NodeMetadata x, int stepInputs)
    {
        int[] shape = x.Dimensions[1..];
        if (Array.FindIndex(shape, s => s <= 0) is var free and >= 0)
        {
            throw new ModelContractException(source, $"x [N, C, H, W] has a free {"CHW"[free]} ({Describe(session.InputMetadata)}); an image model needs fixed C, H and W");
        }

        bool hasTime = session.InputMetadata.TryGetValue(ModelSignature.TimeInput, out NodeMetadata? t) && t.ElementDataType == TensorElementType.Float && t.Dimensions.Length == 1;
        bool hasClass = session.InputMetadata.TryGetValue(ModelSignature.ClassInput, out NodeMetadata? y);
        if (!hasTime || (hasClass && (y!.ElementDataType != TensorElementType.Int64 || y.Dimensions.Length != 1))
            || session.InputMetadata.Count != (hasClass ? 3 : 2) + stepInputs)
        {
            throw new ModelContractException(source, $"an image model takes x [N, C, H, W] of fixed C, H, W, t [N] and optionally y [N] (int64); this one takes {Describe(session.InputMetadata)}");
        }

        if (!session.OutputMetadata.TryGetValue(ModelSignature.VelocityOutput, out NodeMetadata? v) || !v.Dimensions[1..].SequenceEqual(shape))
        {
            throw new ModelContractException(source, $"an image model's output v must be shaped as x, found {Describe(session.OutputMetadata)}");
        }

        return new OnnxSignature(ModelSignature.PointsInput, ModelSignature.TimeInput, false, ModelSignature.VelocityOutput, shape.Aggregate(1, (a, b) => a * b))
        {
            SampleShape = shape,
            ClassInput = hasClass ? ModelSignature.ClassInput : null,
        };
    }

    private static string Describe(IReadOnlyDictionary<string, NodeMetadata> values) =>
        string.Join(", ", values.Select(v => $"{v.Key} {v.Value.ElementDataType} [{string.Join(", ", v.Value.Dimensions.Select(d => d < 0 ? "N" : d.ToString()))}]"));
}

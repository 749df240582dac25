using FlowMatching.Contract;
using FlowMatching.Errors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FlowMatching.Runtime.Models;

/// <summary>
/// A whole sampler exported as one graph (trainer export-sampler): z [N, ...] (and y [N]) -> x1 in the data's
/// units, in one call per chunk. Its metadata names the method it unrolls (euler:K).
/// </summary>
public sealed class OnnxSamplerGraph : IDisposable
{
    public const string NoiseInput = "z";
    public const string SampleOutput = "x1";

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();

    public OnnxSamplerGraph(InferenceSession session, string method, string source)
    {
        _session = session;
        Method = method;
        if (!session.InputMetadata.TryGetValue(NoiseInput, out NodeMetadata? z) || z.ElementDataType != TensorElementType.Float
            || z.Dimensions.Length < 2 || z.Dimensions[1..].Any(d => d <= 0) || !session.OutputMetadata.ContainsKey(SampleOutput))
        {
            throw new ModelContractException(source, $"says it is a sampler graph ({method}) but does not map z [N, ...] to x1");
        }

        SampleShape = z.Dimensions[1..];
        HasClasses = session.InputMetadata.ContainsKey(ModelSignature.ClassInput);
    }

    /// <summary>What the graph unrolls, e.g. euler:4.</summary>
    public string Method { get; }

    public int[] SampleShape { get; }

    public int Dimension => SampleShape.Aggregate(1, (a, b) => a * b);

    public bool HasClasses { get; }

    /// <summary>Pushes the starting points (and classes) through the whole sampler into <paramref name="samples"/>.</summary>
    public void Run(float[] start, long[]? classes, float[] samples)
    {
        int n = start.Length / Dimension;
        long[] shape = [n, .. SampleShape.Select(s => (long)s)];
        using OrtValue z = OrtValue.CreateTensorValueFromMemory(start, shape);
        using OrtValue x1 = OrtValue.CreateTensorValueFromMemory(samples, shape);
        using OrtValue? y = HasClasses ? OrtValue.CreateTensorValueFromMemory(classes ?? throw new InvalidOperationException("classes needed"), [n]) : null;
        string[] inputs = HasClasses ? [NoiseInput, ModelSignature.ClassInput] : [NoiseInput];
        OrtValue[] values = HasClasses ? [z, y!] : [z];
        _session.Run(_runOptions, inputs, values, [SampleOutput], [x1]);
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }
}

using FlowMatching.Contract;
using FlowMatching.Errors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FlowMatching.Runtime.Models;

/// <summary>
/// A whole sampler exported as one graph (flowmatch-trainer export-sampler): z [N, ...] (and y [N]) -> x1 in the data's
/// units, in one call per chunk. Its metadata names the method it unrolls (<see cref="SamplerSpec"/>). On several CPU threads each
/// thread runs its own single-threaded session on a block of the chunk's rows, as <see cref="RowParallelField"/>
/// does for a velocity field: one call per block instead of a meeting of threads after every operator.
/// </summary>
public sealed class OnnxSamplerGraph : IDisposable
{
    private readonly InferenceSession[] _sessions;
    private readonly RunOptions _runOptions = new();

    /// <param name="sessions">Sessions of the one graph, one per thread; the graph owns them.</param>
    /// <param name="method">What the graph unrolls, from its metadata.</param>
    /// <param name="source">The file, for messages.</param>
    public OnnxSamplerGraph(IReadOnlyList<InferenceSession> sessions, SamplerSpec method, string source)
    {
        _sessions = [.. sessions];
        InferenceSession session = _sessions[0];
        Method = method;
        if (!session.InputMetadata.TryGetValue(ModelSignature.NoiseInput, out NodeMetadata? z) || z.ElementDataType != TensorElementType.Float
            || z.Dimensions.Length < 2 || z.Dimensions[1..].Any(d => d <= 0) || !session.OutputMetadata.ContainsKey(ModelSignature.SampleOutput))
        {
            throw new ModelContractException(source, $"says it is a sampler graph ({method}) but does not map z [N, ...] to x1");
        }

        SampleShape = z.Dimensions[1..];
        HasClasses = session.InputMetadata.ContainsKey(ModelSignature.ClassInput);
    }

    /// <summary>What the graph unrolls, e.g. euler:4.</summary>
    public SamplerSpec Method { get; }

    public int[] SampleShape { get; }

    public int Dimension => SampleShape.Aggregate(1, (a, b) => a * b);

    public bool HasClasses { get; }

    /// <summary>Pushes the starting points (and classes) through the whole sampler into <paramref name="samples"/>.</summary>
    public void Run(float[] start, long[]? classes, float[] samples)
    {
        int n = start.Length / Dimension;
        int blocks = Math.Min(_sessions.Length, n);
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = blocks }, block =>
        {
            (int first, int count) = RowParallelField.Block(n, block, blocks);
            RunBlock(_sessions[block], start.AsMemory(first * Dimension, count * Dimension), classes?.AsMemory(first, count), samples.AsMemory(first * Dimension, count * Dimension));
        });
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        foreach (InferenceSession session in _sessions)
        {
            session.Dispose();
        }
    }

    private void RunBlock(InferenceSession session, Memory<float> start, Memory<long>? classes, Memory<float> samples)
    {
        int n = start.Length / Dimension;
        long[] shape = [n, .. SampleShape.Select(s => (long)s)];
        using OrtValue z = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, start, shape);
        using OrtValue x1 = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, samples, shape);
        using OrtValue? y = HasClasses ? OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, classes ?? throw new InvalidOperationException("classes needed"), [n]) : null;
        string[] inputs = HasClasses ? [ModelSignature.NoiseInput, ModelSignature.ClassInput] : [ModelSignature.NoiseInput];
        OrtValue[] values = HasClasses ? [z, y!] : [z];
        session.Run(_runOptions, inputs, values, [ModelSignature.SampleOutput], [x1]);
    }
}

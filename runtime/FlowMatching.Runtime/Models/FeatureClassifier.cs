using FlowMatching.Errors;
using Microsoft.ML.OnnxRuntime;

namespace FlowMatching.Runtime.Models;

/// <summary>
/// An image classifier exported by `flowmatch-trainer classifier`: x [N, C, H, W] -> logits [N, classes] and features
/// [N, F], the feature space in which image samples are compared with real images.
/// </summary>
public sealed class FeatureClassifier : IDisposable
{
    private const int Chunk = 500;

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();

    public FeatureClassifier(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelContractException(path, "no such classifier; train one with flowmatch-trainer classifier");
        }

        try
        {
            _session = new InferenceSession(path);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelContractException(path, $"not a loadable ONNX model ({ExecutionProvider.FirstLine(e.Message)})", inner: e);
        }

        if (!_session.InputMetadata.TryGetValue("x", out NodeMetadata? x) || x.Dimensions.Length != 4
            || !_session.OutputMetadata.ContainsKey("logits") || !_session.OutputMetadata.ContainsKey("features"))
        {
            _session.Dispose();
            _runOptions.Dispose();
            throw new ModelContractException(path, "is not a feature classifier (x [N, C, H, W] -> logits, features)");
        }

        Shape = x.Dimensions[1..];
    }

    public int[] Shape { get; }

    /// <summary>Each image's most likely class and its feature vector.</summary>
    public (long[] Classes, float[][] Features) Classify(float[] images, CancellationToken cancellationToken = default)
    {
        int size = Shape.Aggregate(1, (a, b) => a * b);
        int n = images.Length / size;
        var classes = new long[n];
        var features = new float[n][];
        for (int start = 0; start < n; start += Chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(Chunk, n - start);
            using OrtValue input = OrtValue.CreateTensorValueFromMemory(images.AsMemory(start * size, count * size).ToArray(), [count, .. Shape.Select(s => (long)s)]);
            using var outputs = _session.Run(_runOptions, ["x"], [input], ["logits", "features"]);
            ReadOnlySpan<float> logits = outputs[0].GetTensorDataAsSpan<float>();
            ReadOnlySpan<float> feature = outputs[1].GetTensorDataAsSpan<float>();
            int k = logits.Length / count, f = feature.Length / count;
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<float> row = logits.Slice(i * k, k);
                classes[start + i] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(row);
                features[start + i] = feature.Slice(i * f, f).ToArray();
            }
        }

        return (classes, features);
    }

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}

using FlowMatching.Velocity;
using Microsoft.ML.OnnxRuntime;

namespace FlowMatching.Runtime.Models;

/// <summary>
/// A velocity field evaluated by ONNX Runtime. Input and output tensors wrap buffers that are allocated
/// once per batch size, so integrator loops allocate nothing per step.
/// </summary>
public sealed class OnnxVelocityField : IVelocityField, IDisposable
{
    private readonly InferenceSession _session;
    private readonly OnnxSignature _signature;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private Buffers? _buffers;

    public OnnxVelocityField(InferenceSession session, OnnxSignature signature)
    {
        _session = session;
        _signature = signature;
        _inputNames = [signature.PointsInput, signature.TimeInput];
        _outputNames = [signature.Output];
    }

    public int Dimension => _signature.Dimension;

    public void Evaluate(double t, ReadOnlySpan<float> points, Span<float> velocity)
    {
        int n = points.Length / Dimension;
        if (_buffers?.Count != n)
        {
            _buffers?.Dispose();
            _buffers = new Buffers(n, Dimension, _signature.TimeIsColumn);
        }

        points.CopyTo(_buffers.Points);
        _buffers.Times.AsSpan().Fill((float)t);
        _session.Run(_runOptions, _inputNames, _buffers.Inputs, _outputNames, _buffers.Outputs);
        _buffers.Velocity.AsSpan().CopyTo(velocity);
    }

    public void Dispose()
    {
        _buffers?.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    private sealed class Buffers : IDisposable
    {
        public Buffers(int count, int dimension, bool timeIsColumn)
        {
            Count = count;
            Points = new float[count * dimension];
            Times = new float[count];
            Velocity = new float[count * dimension];
            Inputs =
            [
                OrtValue.CreateTensorValueFromMemory(Points, [count, dimension]),
                OrtValue.CreateTensorValueFromMemory(Times, timeIsColumn ? [count, 1] : [count]),
            ];
            Outputs = [OrtValue.CreateTensorValueFromMemory(Velocity, [count, dimension])];
        }

        public int Count { get; }

        public float[] Points { get; }

        public float[] Times { get; }

        public float[] Velocity { get; }

        public OrtValue[] Inputs { get; }

        public OrtValue[] Outputs { get; }

        public void Dispose()
        {
            foreach (OrtValue value in Inputs.Concat(Outputs))
            {
                value.Dispose();
            }
        }
    }
}

using FlowMatching.Velocity;
using Microsoft.ML.OnnxRuntime;

namespace FlowMatching.Runtime.Models;

/// <summary>
/// A velocity field evaluated by ONNX Runtime. Input and output tensors wrap buffers that are allocated
/// and bound (IOBinding, so names are not marshalled on every call) once per batch size, so integrator
/// loops allocate nothing per step.
/// </summary>
public sealed class OnnxVelocityField : IVelocityField, IDisposable
{
    private readonly InferenceSession _session;
    private readonly OnnxSignature _signature;
    private readonly RunOptions _runOptions = new();
    private Buffers? _buffers;

    public OnnxVelocityField(InferenceSession session, OnnxSignature signature)
    {
        _session = session;
        _signature = signature;
    }

    public int Dimension => _signature.Dimension;

    public OnnxSignature Signature => _signature;

    public void Evaluate(double t, ReadOnlySpan<float> points, Span<float> velocity)
    {
        int n = points.Length / Dimension;
        if (_buffers?.Count != n)
        {
            _buffers?.Dispose();
            _buffers = new Buffers(_session, _signature, n);
        }

        points.CopyTo(_buffers.Points);
        _buffers.Times.AsSpan().Fill((float)t);
        _session.RunWithBinding(_runOptions, _buffers.Binding);
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
        public Buffers(InferenceSession session, OnnxSignature signature, int count)
        {
            int d = signature.Dimension;
            Count = count;
            Points = new float[count * d];
            Times = new float[count];
            Velocity = new float[count * d];
            Values =
            [
                OrtValue.CreateTensorValueFromMemory(Points, [count, d]),
                OrtValue.CreateTensorValueFromMemory(Times, signature.TimeIsColumn ? [count, 1] : [count]),
                OrtValue.CreateTensorValueFromMemory(Velocity, [count, d]),
            ];
            Binding = session.CreateIoBinding();
            Binding.BindInput(signature.PointsInput, Values[0]);
            Binding.BindInput(signature.TimeInput, Values[1]);
            Binding.BindOutput(signature.Output, Values[2]);
        }

        public int Count { get; }

        public float[] Points { get; }

        public float[] Times { get; }

        public float[] Velocity { get; }

        public OrtValue[] Values { get; }

        public OrtIoBinding Binding { get; }

        public void Dispose()
        {
            Binding.Dispose();
            foreach (OrtValue value in Values)
            {
                value.Dispose();
            }
        }
    }
}

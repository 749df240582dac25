using FlowMatching.Errors;
using FlowMatching.Velocity;
using Microsoft.ML.OnnxRuntime;

namespace FlowMatching.Runtime.Models;

/// <summary>
/// A velocity field evaluated by ONNX Runtime through IOBinding over buffers allocated once per batch size.
/// On the CPU provider the bound host buffers are used in place, so they are bound once and the integrator
/// loop allocates nothing. A device provider (CUDA) copies a bound host input at bind time, so writes made
/// after binding would never reach the device: there every evaluation binds its inputs afresh
/// (<see cref="RebindEachEvaluation"/>). A flow-map network (with a step input) is evaluated at h = 0 as a velocity
/// field, and at any h as a flow map.
/// </summary>
public sealed class OnnxVelocityField : IClassConditionalField, IFlowMapField, IDisposable
{
    private readonly InferenceSession _session;
    private readonly OnnxSignature _signature;
    private readonly RunOptions _runOptions = new();
    private Buffers? _buffers;

    private readonly string _source;
    private readonly long _nullClass;

    /// <summary>
    /// A field over one session; <paramref name="source"/> is the model file, named when ONNX Runtime fails on it during a
    /// run. Callers always say K (<paramref name="classes"/>) for the null class; <paramref name="nullClass"/> is the id the
    /// network takes for it, when another.
    /// </summary>
    public OnnxVelocityField(InferenceSession session, OnnxSignature signature, bool rebindEachEvaluation, int classes = 0, string source = "the model", int? nullClass = null)
    {
        _nullClass = nullClass ?? classes;
        _source = source;
        _session = session;
        _signature = signature;
        RebindEachEvaluation = rebindEachEvaluation;
        Classes = classes;
    }

    /// <summary>The classes K of a class-conditional model (K also stands for the null class); 0 for other models.</summary>
    public int Classes { get; }

    public int Dimension => _signature.Dimension;

    public OnnxSignature Signature => _signature;

    /// <summary>True where ONNX Runtime copies inputs at bind time (every device provider).</summary>
    public bool RebindEachEvaluation { get; }

    /// <summary>
    /// Stops the evaluation in flight (ONNX Runtime checks its terminate flag between kernels): one evaluation
    /// of a large image batch takes seconds. That evaluation throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public void Abort() => _runOptions.Terminate = true;

    /// <summary>Forgets an abort that came after the last evaluation had finished, before new work starts.</summary>
    public void ClearAbort() => _runOptions.Terminate = false;

    /// <summary>The unconditional field: every row gets the null class.</summary>
    public void Evaluate(double t, ReadOnlySpan<float> points, Span<float> velocity) => Evaluate(t, points, [], velocity);

    public void Evaluate(double t, ReadOnlySpan<float> points, ReadOnlySpan<long> classes, Span<float> velocity) => Evaluate(t, 0, points, classes, velocity);

    /// <summary>The average velocity over [t, t + h]; a network without a step input takes only h = 0.</summary>
    public void Evaluate(double t, double h, ReadOnlySpan<float> points, ReadOnlySpan<long> classes, Span<float> velocity)
    {
        if (h != 0 && _signature.StepInput is null)
        {
            throw new ArgumentOutOfRangeException(nameof(h), h, $"{_source} is a velocity field: it takes no step size");
        }

        int n = points.Length / Dimension;
        if (_buffers?.Count != n)
        {
            _buffers?.Dispose();
            _buffers = new Buffers(_session, _signature, n);
        }

        if (_buffers.Classes is { } rows)
        {
            if (classes.IsEmpty)
            {
                rows.AsSpan().Fill(_nullClass);
            }
            else
            {
                classes.CopyTo(rows);
                if (_nullClass != Classes)
                {
                    rows.AsSpan().Replace(Classes, _nullClass);
                }
            }
        }

        points.CopyTo(_buffers.Points);
        _buffers.Times.AsSpan().Fill((float)t);
        _buffers.Steps?.AsSpan().Fill((float)h);
        if (RebindEachEvaluation)
        {
            _buffers.Bind();
        }

        try
        {
            _session.RunWithBinding(_runOptions, _buffers.Binding);
        }
        catch (OnnxRuntimeException) when (_runOptions.Terminate)
        {
            // Aborted by AbortOn: the model stays usable for the next run.
            _runOptions.Terminate = false;
            throw new OperationCanceledException("the evaluation was aborted");
        }
        catch (OnnxRuntimeException e)
        {
            // The model's fault (a malformed graph, an index out of its range), not the caller's: said as the file's.
            throw new ModelContractException(_source, $"ONNX Runtime failed evaluating it at t = {t} ({ExecutionProvider.FirstLine(e.Message)})", inner: e);
        }

        if (RebindEachEvaluation)
        {
            _buffers.Binding.SynchronizeBoundOutputs();
        }

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
        private readonly OnnxSignature _signature;

        public Buffers(InferenceSession session, OnnxSignature signature, int count)
        {
            _signature = signature;
            int d = signature.Dimension;
            Count = count;
            Points = new float[count * d];
            Times = new float[count];
            Velocity = new float[count * d];
            long[] shape = [count, .. signature.SampleShape.Select(s => (long)s)];
            Classes = signature.ClassInput is null ? null : new long[count];
            Steps = signature.StepInput is null ? null : new float[count];
            Values =
            [
                OrtValue.CreateTensorValueFromMemory(Points, shape),
                OrtValue.CreateTensorValueFromMemory(Times, signature.TimeIsColumn ? [count, 1] : [count]),
                OrtValue.CreateTensorValueFromMemory(Velocity, shape),
                .. Classes is null ? Array.Empty<OrtValue>() : [OrtValue.CreateTensorValueFromMemory(Classes, [count])],
                .. Steps is null ? Array.Empty<OrtValue>() : [OrtValue.CreateTensorValueFromMemory(Steps, [count])],
            ];
            Binding = session.CreateIoBinding();
            Bind();
        }

        public int Count { get; }

        public float[] Points { get; }

        public float[] Times { get; }

        public float[] Velocity { get; }

        /// <summary>Each row's class, for class-conditional models.</summary>
        public long[]? Classes { get; }

        /// <summary>Each row's step size, for flow-map models.</summary>
        public float[]? Steps { get; }

        public OrtValue[] Values { get; }

        public OrtIoBinding Binding { get; }

        /// <summary>Binds the host buffers; on a device provider this is when the inputs are copied over.</summary>
        public void Bind()
        {
            Binding.ClearBoundInputs();
            Binding.ClearBoundOutputs();
            Binding.BindInput(_signature.PointsInput, Values[0]);
            Binding.BindInput(_signature.TimeInput, Values[1]);
            Binding.BindOutput(_signature.Output, Values[2]);
            if (_signature.ClassInput is { } classInput)
            {
                Binding.BindInput(classInput, Values[3]);
            }

            if (_signature.StepInput is { } stepInput)
            {
                Binding.BindInput(stepInput, Values[^1]);
            }
        }

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

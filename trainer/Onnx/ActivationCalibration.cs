using FlowMatching.Contract;
using FlowMatching.Errors;
using FlowMatching.Runtime.Integrators;
using FlowMatching.Runtime.Models;
using FlowMatching.Runtime.Sampling;
using FlowMatching.Training.Onnx.Proto;
using FlowMatching.Velocity;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace FlowMatching.Training.Onnx;

/// <summary>
/// The largest value each of a model's activation tensors takes where the model is used: the float model
/// integrated from its base N(0, I) to t = 1 (Euler, <see cref="Steps"/> steps; a class-conditional model's points
/// take each class and the null class in turn), its graph extended with each tensor's row maxima as extra outputs.
/// </summary>
public static class ActivationCalibration
{
    public const int Steps = 20;

    // About 32000 numbers a point set: 4000 points of a 2-D model, 40 images of 28 x 28.
    private const int Values = 32_000;

    /// <summary>Each tensor's maximum, rounded up to three significant digits so that the last bits of a CPU's
    /// float kernels never change the quantized file.</summary>
    public static IReadOnlyDictionary<string, float> Measure(ModelProto model, IReadOnlyList<string> tensors, string source, CancellationToken cancellationToken = default)
    {
        ModelProto probe = model.Clone();
        var builder = new OnnxGraphBuilder(probe.Graph);
        string[] maxima = [.. tensors.Select(t => builder.Node("ReduceMax", $"{t}.calibration_max", [t], OnnxGraphBuilder.IntsAttribute("axes", 1), OnnxGraphBuilder.IntAttribute("keepdims", 0)))];
        foreach (string output in maxima)
        {
            builder.Output(output, "batch");
        }

        // One thread: the same float results, so the same maxima, on every run.
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(probe.ToByteArray(), options);
        ModelContract? contract = model.Contract(source);
        using var field = new ProbedField(session, OnnxSignature.Resolve(session, source), contract?.Classes ?? 0, contract?.NullClass ?? 0, maxima);
        int n = Math.Clamp(Values / field.Dimension, 16, 4000);
        IIntegrator euler = new FixedStepOdeSolver(new EulerStep(), Steps);
        // The runtime's own sampling loop (seed 0, one chunk) drives the field, which records the maxima on the way;
        // the samples themselves are not needed.
        _ = new Sampler(field.Dimension, n, null, 0, (first, points, _, _, cancellation) => euler.Integrate(field, points, first, null, cancellation))
            .Sample(0, n, 0, null, cancellationToken).ToList();

        // A model that outputs NaN (or a layer that never turns positive) has no step to fit.
        int bad = Array.FindIndex(field.Highest, h => !(float.IsFinite(h) && h > 0));
        if (bad >= 0)
        {
            throw new ModelContractException(source, $"calibration: {tensors[bad]} reached at most {field.Highest[bad]} on the model's own paths, so no int8 step fits it");
        }

        return tensors.Zip(field.Highest).ToDictionary(p => p.First, p => RoundUp(p.Second));
    }

    private static float RoundUp(float value)
    {
        double unit = Math.Pow(10, Math.Floor(Math.Log10(value)) - 2);
        return (float)(Math.Ceiling(value / unit) * unit);
    }

    /// <summary>The velocity field that also keeps the running maximum of each extra output.</summary>
    private sealed class ProbedField(InferenceSession session, OnnxSignature signature, int classes, int nullClass, string[] maxima) : IVelocityField, IDisposable
    {
        private readonly RunOptions _run = new();

        public int Dimension => signature.Dimension;

        public float[] Highest { get; } = [.. maxima.Select(_ => float.NegativeInfinity)];

        public void Evaluate(double t, ReadOnlySpan<float> points, Span<float> velocity)
        {
            int n = points.Length / Dimension;
            long[] shape = [n, .. signature.SampleShape.Select(s => (long)s)];
            var names = new List<string> { signature.PointsInput, signature.TimeInput };
            var inputs = new List<OrtValue>
            {
                OrtValue.CreateTensorValueFromMemory(points.ToArray(), shape),
                OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat((float)t, n).ToArray(), signature.TimeIsColumn ? [n, 1] : [n]),
            };
            if (signature.ClassInput is { } classInput)
            {
                names.Add(classInput);
                inputs.Add(OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, n).Select(i => i % (classes + 1) is var c && c == classes ? nullClass : (long)c).ToArray(), [n]));
            }

            try
            {
                using var outputs = session.Run(_run, names, inputs, [signature.Output, .. maxima]);
                outputs[0].GetTensorDataAsSpan<float>().CopyTo(velocity);
                for (int i = 0; i < maxima.Length; i++)
                {
                    foreach (float value in outputs[i + 1].GetTensorDataAsSpan<float>())
                    {
                        Highest[i] = Math.Max(Highest[i], value);
                    }
                }
            }
            finally
            {
                inputs.ForEach(i => i.Dispose());
            }
        }

        public void Dispose() => _run.Dispose();
    }
}

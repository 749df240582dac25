using FlowMatching.Cli;
using FlowMatching.Distributions;
using FlowMatching.Io;
using FlowMatching.Runtime.Integrators;
using FlowMatching.Runtime.Models;

namespace FlowMatching.Runtime.Sampling;

/// <summary>
/// Pushes points from rho_0 to rho_1 through a velocity model, chunk by chunk, writing each chunk as it
/// finishes, in the data's units when the model was trained on standardised data. Sample i's starting point and noise depend only on (seed, i), so any chunking, or any split of
/// the index range across runs, gives the same rows.
/// </summary>
public sealed class Sampler(VelocityModel model, SamplerSettings settings)
{
    /// <summary>Integrates the points of samples firstIndex.. in place from t = 0; returns field evaluations.</summary>
    public int Transport(Span<float> points, long firstIndex, StepObserver? observer = null) => settings.Kind switch
    {
        "ode" => OdeSolverCatalog.Create(settings.Method, settings.Steps, settings.Tolerances)
            .Solve(model.Field, points, 0, 1, observer),
        "sde" => new SdeSolver(
                SdeSolverCatalog.Rule(settings.Method),
                new SdeCoefficients(model.Interpolant, settings.Eps, settings.Diffusion == "constant"),
                settings.Steps,
                settings.Seed,
                denoise: settings.Denoise)
            .Solve(model.Field, points, firstIndex, observer),
        _ => throw new UserInputException($"--sampler {settings.Kind}: expected ode or sde"),
    };

    /// <summary>
    /// Samples indices [offset, offset + count) (or transports <paramref name="initial"/> when given) into
    /// <paramref name="output"/>; returns the field evaluations each point went through (the most over chunks, for adaptive methods).
    /// </summary>
    public long Run(long offset, long count, PointSet? initial, CsvTableWriter output, IProgressSink progress, TrajectoryRecorder? trajectory = null)
    {
        int d = model.Field.Dimension;
        var normal = new StandardNormal(d);
        long evaluations = 0;
        for (long done = 0; done < count; done += settings.Chunk)
        {
            int size = (int)Math.Min(settings.Chunk, count - done);
            var points = new float[size * d];
            if (initial is not null)
            {
                initial.Values.AsSpan((int)(done * d), size * d).CopyTo(points);
            }
            else
            {
                for (int i = 0; i < size; i++)
                {
                    normal.SampleIndexed((ulong)settings.Seed, offset + done + i, points.AsSpan(i * d, d));
                }
            }

            long first = offset + done;
            trajectory?.Record(0, 0, points, first);
            evaluations = Math.Max(evaluations, Transport(points, first, trajectory is null ? null : (step, t, x) => trajectory.Record(step, t, x, first)));
            model.Scaling?.Invert(points);
            output.WriteRows(points, d);
            progress.Report(done + size, $"{settings.Kind} {settings.Method}");
        }

        return evaluations;
    }
}

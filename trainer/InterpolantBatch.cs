using FlowMatching.Distributions;
using FlowMatching.Interpolants;
using FlowMatching.Randomness;
using static TorchSharp.torch;

namespace FlowMatching.Training;

/// <summary>
/// One training batch: t (U(0, 1) unless the run asks otherwise), the interpolant I_t and its time derivative, row-major, and each x1's
/// class (after label dropout; zeros for unlabelled targets).
/// </summary>
public sealed record InterpolantBatch(float[] Times, float[] Points, float[] PointVelocities, int Dimension, long[] Classes)
{
    /// <summary>The batch on <paramref name="device"/>: I_t [N, d], t [N], classes [N] and dI_t/dt [N, d].</summary>
    public (Tensor X, Tensor T, Tensor Y, Tensor Dx) ToTensors(Device device)
    {
        long n = Times.Length;
        return (tensor(Points, [n, Dimension], device: device), tensor(Times, [n], device: device), tensor(Classes, [n], device: device), tensor(PointVelocities, [n, Dimension], device: device));
    }
}

/// <summary>
/// Draws (x0 ~ base, x1 ~ target, t) independently (or (x0, x1) as coupled pairs, for reflow) and forms I_t = alpha x0 + beta x1 and
/// dI_t/dt with the shared interpolant, so the schedule has one definition for trainer and runtime.
/// Each quantity has its own random stream; their positions are the sampler's whole state.
/// </summary>
public sealed class InterpolantBatchSampler(IDistribution baseDistribution, IDistribution target, IInterpolant interpolant, long seed, ulong streamOffset = 0, double labelDropout = 0, TimeSampling? timeSampling = null, bool flip = false)
{
    private readonly RandomStream _base = new((ulong)seed, Streams.BaseSamples + streamOffset);
    private readonly RandomStream _target = new((ulong)seed, Streams.TargetSamples + streamOffset);
    private readonly RandomStream _times = new((ulong)seed, Streams.Times + streamOffset);
    private readonly RandomStream _dropout = new((ulong)seed, Streams.LabelDropout + streamOffset);
    private readonly RandomStream _flips = new((ulong)seed, Streams.Flips + streamOffset);
    private readonly TimeSampling _timeSampling = timeSampling ?? TimeSampling.Uniform;

    public ulong[] State
    {
        get => [_base.Position, _target.Position, _times.Position, _dropout.Position, _flips.Position];

        // Checkpoints written before flips existed hold four positions.
        set => (_base.Position, _target.Position, _times.Position, _dropout.Position, _flips.Position) = (value[0], value[1], value[2], value[3], value.Length > 4 ? value[4] : 0);
    }

    /// <param name="times">Each row's t, when the caller chooses them (a flow map's step grid); null: drawn.</param>
    public InterpolantBatch Draw(int size, float[]? times = null)
    {
        int d = target.Dimension;
        var x0 = new float[size * d];
        var x1 = new float[size * d];
        var classes = new long[size];
        if (target is CoupledPairs pairs)
        {
            pairs.SamplePairs(_target, x0, x1);
        }
        else
        {
            baseDistribution.Sample(_base, x0);
            DrawTarget(x1, classes);
        }

        if (times is null)
        {
            times = new float[size];
            for (int i = 0; i < size; i++)
            {
                times[i] = (float)_timeSampling.Draw(_times);
            }
        }

        var points = new float[size * d];
        var velocities = new float[size * d];
        for (int i = 0; i < size; i++)
        {
            double t = times[i];
            for (int j = i * d; j < (i + 1) * d; j++)
            {
                points[j] = (float)interpolant.Value(t, x0[j], x1[j]);
                velocities[j] = (float)interpolant.TimeDerivative(t, x0[j], x1[j]);
            }
        }

        return new InterpolantBatch(times, points, velocities, d, classes);
    }

    private void DrawTarget(float[] x1, long[] classes)
    {
        if (target is ImageDataset { Labels: not null } labelled)
        {
            labelled.Sample(_target, x1, classes);
            for (int i = 0; i < classes.Length; i++)
            {
                classes[i] = _dropout.NextUniform() < labelDropout ? labelled.ClassNames.Count : classes[i];
            }
        }
        else
        {
            target.Sample(_target, x1);
        }

        if (flip && target is ImageDataset images)
        {
            for (int i = 0; i < classes.Length; i++)
            {
                if (_flips.NextUniform() < 0.5)
                {
                    images.FlipHorizontally(x1.AsSpan(i * images.Dimension, images.Dimension));
                }
            }
        }
    }
}

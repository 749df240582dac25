using FlowMatching.Distributions;
using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Sampling;

/// <summary>
/// Pushes points from rho_0 to rho_1 through a velocity field, chunk by chunk, and maps them back to the
/// data's units when the model was trained on standardised data. Sample i's starting point and noise
/// depend only on (seed, i), so any chunking, or any split of the index range across runs, gives the same
/// rows for the fixed-step methods.
/// </summary>
public sealed class Sampler(IVelocityField field, Standardization? scaling, ITransport transport, int chunk, GuidedField? classes = null)
{
    /// <summary>Starting points drawn from N(0, I), keyed by (seed, index).</summary>
    public IEnumerable<SampleChunk> Sample(long offset, long count, long seed, PathObserver? observer, CancellationToken cancellationToken)
    {
        var normal = new StandardNormal(field.Dimension);
        return Run(count, offset, observer, cancellationToken, (first, points) =>
        {
            int d = field.Dimension;
            for (int i = 0; i < points.Length / d; i++)
            {
                normal.SampleIndexed((ulong)seed, first + i, points.AsSpan(i * d, d));
            }
        });
    }

    /// <summary>Given starting points (row-major, in the model's units), numbered from <paramref name="firstIndex"/>.</summary>
    public IEnumerable<SampleChunk> Transport(float[] initial, long firstIndex, PathObserver? observer, CancellationToken cancellationToken) =>
        Run(initial.Length / field.Dimension, firstIndex, observer, cancellationToken, (first, points) =>
            initial.AsSpan((int)((first - firstIndex) * field.Dimension), points.Length).CopyTo(points));

    private IEnumerable<SampleChunk> Run(long count, long offset, PathObserver? observer, CancellationToken cancellationToken, Action<long, float[]> start)
    {
        int d = field.Dimension;
        for (long done = 0; done < count; done += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int size = (int)Math.Min(chunk, count - done);
            long first = offset + done;
            var points = new float[size * d];
            start(first, points);
            classes?.BeginChunk(first, size);
            observer?.Invoke(first, 0, 0, points);
            int evaluations = transport.Transport(field, points, first, observer is null ? null : (step, t, x) => observer(first, step, t, x), cancellationToken);
            scaling?.Invert(points);
            yield return new SampleChunk(first, size, d, points, evaluations) { Classes = classes?.ChunkClasses.ToArray() };
        }
    }
}

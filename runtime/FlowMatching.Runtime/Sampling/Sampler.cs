using FlowMatching.Distributions;
using FlowMatching.Runtime.Options;

namespace FlowMatching.Runtime.Sampling;

/// <summary>
/// Integrates the starting points of one chunk (samples <c>first</c>.. in the model's units, each with its class
/// where <c>classes</c> is not null) into samples in the data's units, in place; returns the network evaluations it took.
/// </summary>
public delegate int ChunkIntegration(long first, float[] points, long[]? classes, PathObserver? observer, CancellationToken cancellationToken);

/// <summary>
/// The one sampling loop of every kind of model: chunk by chunk, each sample's starting point drawn from N(0, I)
/// keyed by (seed, sample index) and its class chosen by its index, then integrated by the model's own kind. Sample
/// i therefore depends only on (seed, i): any chunking, or any split of the index range across runs, gives the same
/// rows for the fixed-step methods.
/// </summary>
/// <param name="dimension">Numbers in one sample.</param>
/// <param name="chunk">Samples integrated at once.</param>
/// <param name="classes">Which class each sample is drawn for; null: none passed (an unconditional field).</param>
/// <param name="classCount">The model's classes, the null class's id.</param>
/// <param name="integrate">The model kind's integration of one chunk.</param>
public sealed class Sampler(int dimension, int chunk, ClassSelection? classes, int classCount, ChunkIntegration integrate)
{
    /// <summary>Starting points drawn from N(0, I), keyed by (seed, index).</summary>
    public IEnumerable<SampleChunk> Sample(long offset, long count, long seed, PathObserver? observer, CancellationToken cancellationToken)
    {
        var normal = new StandardNormal(dimension);
        return Run(count, offset, observer, cancellationToken, (first, points) =>
        {
            for (int i = 0; i < points.Length / dimension; i++)
            {
                normal.SampleIndexed((ulong)seed, first + i, points.AsSpan(i * dimension, dimension));
            }
        });
    }

    /// <summary>Given starting points (row-major, in the model's units), numbered from <paramref name="firstIndex"/>.</summary>
    public IEnumerable<SampleChunk> Transport(float[] initial, long firstIndex, PathObserver? observer, CancellationToken cancellationToken) =>
        Run(initial.Length / dimension, firstIndex, observer, cancellationToken, (first, points) =>
            initial.AsSpan((int)((first - firstIndex) * dimension), points.Length).CopyTo(points));

    private IEnumerable<SampleChunk> Run(long count, long offset, PathObserver? observer, CancellationToken cancellationToken, Action<long, float[]> start)
    {
        for (long done = 0; done < count; done += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int size = (int)Math.Min(chunk, count - done);
            long first = offset + done;
            var points = new float[size * dimension];
            start(first, points);
            long[]? chunkClasses = classes is null ? null : [.. Enumerable.Range(0, size).Select(i => classes.ClassOf(first + i, classCount))];
            int evaluations = integrate(first, points, chunkClasses, observer, cancellationToken);
            yield return new SampleChunk(first, size, dimension, points, evaluations) { Classes = chunkClasses };
        }
    }
}

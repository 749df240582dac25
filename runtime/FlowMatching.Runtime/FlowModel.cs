using FlowMatching.Contract;
using FlowMatching.Distributions;
using FlowMatching.Errors;
using FlowMatching.Progress;
using FlowMatching.Runtime.Integrators;
using FlowMatching.Runtime.Options;
using FlowMatching.Runtime.Sampling;
using FlowMatching.Velocity;

namespace FlowMatching.Runtime;

/// <summary>
/// A generative model ready to sample: a <see cref="VelocityModel"/> (a velocity field integrated step by step), a
/// <see cref="FlowMapModel"/> (a few steps of the flow's average velocity) or a <see cref="SamplerGraphModel"/> (a
/// whole sampler in one graph). Samples are row-major float arrays,
/// <see cref="Dimension"/> numbers a row, in the data's units. Every random draw is keyed by (seed, sample index):
/// the same seed gives the same samples whatever the chunking or the split of the index range. Settings the caller
/// leaves unset follow the model's recommendation (<see cref="Resolve"/>).
/// </summary>
public abstract class FlowModel : IDisposable
{
    public const string ExactPrefix = "exact:";

    private protected FlowModel(string source, ModelContract? contract, string provider)
    {
        Source = source;
        Contract = contract;
        Provider = provider;
    }

    /// <summary>The file (or exact:NAME) the model came from.</summary>
    public string Source { get; }

    /// <summary>The model contract from the file's metadata; null for models without it and for exact fields.</summary>
    public ModelContract? Contract { get; }

    /// <summary>Where the network runs: "CPU", "CUDA", or "closed form".</summary>
    public string Provider { get; }

    /// <summary>The shape of one sample: [d] for points, [C, H, W] for images.</summary>
    public abstract IReadOnlyList<int> SampleShape { get; }

    public int Dimension => SampleShape.Aggregate(1, (a, b) => a * b);

    /// <summary>The classes of a class-conditional model (the null class's id); 0 otherwise.</summary>
    public abstract int Classes { get; }

    /// <summary>How many samples are integrated at once when the options leave <see cref="SamplingOptions.Chunk"/> unset.</summary>
    public int DefaultChunk => SampleShape.Count == 3 ? SamplingOptions.DefaultImageChunk : SamplingOptions.DefaultChunk;

    /// <summary>The data standardisation recorded by the trainer, or null when the model works in the data's units.</summary>
    public Standardization? Scaling => Contract is { DataMean.Count: > 0 } contract ? new Standardization(contract.DataMean, contract.DataStd) : null;

    /// <summary>
    /// The contract an ONNX model file carries, without preparing it to sample: its kind, data, classes and
    /// recommendation, for any model this project writes (the feature classifier too); null without flowmatching metadata.
    /// </summary>
    public static ModelContract? ReadContract(string path) => FlowModelLoader.ReadContract(path);

    /// <summary>Opens an ONNX model file, or exact:NAME for the closed-form field of a Gaussian-mixture target.</summary>
    public static FlowModel Load(string source, ModelLoadOptions? options = null)
    {
        options ??= new ModelLoadOptions();
        if (options.Threads is < 0 or > 1024)
        {
            throw new InvalidSettingException(nameof(options.Threads), $"must be between 0 and 1024, not {options.Threads}");
        }

        return source.StartsWith(ExactPrefix, StringComparison.Ordinal) ? FlowModelLoader.LoadExact(source, options) : FlowModelLoader.LoadOnnx(source, options);
    }

    /// <summary>
    /// The settings a sampling run with <paramref name="requested"/> uses: what was left unset filled in from the
    /// model's recommendation (unless <see cref="SamplingOptions.UseRecommendation"/> is false), with what was
    /// adopted. <see cref="Sample"/> and <see cref="SampleChunks"/> resolve their options so themselves.
    /// </summary>
    public abstract ResolvedSampling Resolve(SamplingOptions requested, CancellationToken cancellationToken = default);

    /// <summary>Draws samples <paramref name="offset"/> .. <paramref name="offset"/> + <paramref name="count"/> - 1.</summary>
    public float[] Sample(long count, SamplingOptions options, long seed = 0, long offset = 0, IProgress<WorkProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Collect(SampleChunks(count, options, seed, offset, cancellationToken: cancellationToken), count, progress);

    /// <summary>The same samples as <see cref="Sample"/>, a chunk at a time, so any count fits in memory.</summary>
    public IEnumerable<SampleChunk> SampleChunks(long count, SamplingOptions options, long seed = 0, long offset = 0, PathObserver? observer = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return Run(options, seed, sampler => sampler.Sample(offset, count, seed, observer, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Transports given starting points (row-major, in the model's units: N(0, I) is the base) to t = 1;
    /// SDE noise is keyed by <paramref name="firstIndex"/> + row.
    /// </summary>
    public float[] Transport(float[] initial, SamplingOptions options, long seed = 0, long firstIndex = 0, IProgress<WorkProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Collect(TransportChunks(initial, options, seed, firstIndex, cancellationToken: cancellationToken), RowsOf(initial), progress);

    /// <summary>The same as <see cref="Transport"/>, a chunk at a time.</summary>
    public IEnumerable<SampleChunk> TransportChunks(float[] initial, SamplingOptions options, long seed = 0, long firstIndex = 0, PathObserver? observer = null, CancellationToken cancellationToken = default)
    {
        RowsOf(initial);
        return Run(options, seed, sampler => sampler.Transport(initial, firstIndex, observer, cancellationToken), cancellationToken);
    }

    public abstract void Dispose();

    /// <summary>Resolves and checks the options (now, not when the chunks are first asked for), then runs the loop.</summary>
    private protected IEnumerable<SampleChunk> Run(SamplingOptions options, long seed, Func<Sampler, IEnumerable<SampleChunk>> chunks, CancellationToken cancellationToken)
    {
        SamplingOptions effective = Resolve(options, cancellationToken).Options;
        effective.Validate();
        return Running(chunks(CreateSampler(effective, seed)), cancellationToken);
    }

    /// <summary>The sampling loop for resolved, valid options, with this kind's integration of a chunk.</summary>
    private protected abstract Sampler CreateSampler(SamplingOptions effective, long seed);

    /// <summary>Wraps a run's chunks, for a kind that must stop work in flight on cancellation.</summary>
    private protected virtual IEnumerable<SampleChunk> Running(IEnumerable<SampleChunk> chunks, CancellationToken cancellationToken) => chunks;

    /// <summary>The loop that integrates each chunk's points with <paramref name="integrator"/> on the chunk's field, then maps them to the data's units.</summary>
    private protected Sampler Integrating(SamplingOptions effective, IIntegrator integrator, Func<long[]?, IVelocityField> field)
    {
        Standardization? scaling = Scaling;
        return new Sampler(Dimension, effective.Chunk ?? DefaultChunk, effective.Conditioning?.Classes, Classes, (first, points, classes, observer, cancellationToken) =>
        {
            observer?.Invoke(first, 0, 0, points);
            int evaluations = integrator.Integrate(field(classes), points, first, observer is null ? null : (step, t, x) => observer(first, step, t, x), cancellationToken);
            scaling?.Invert(points);
            return evaluations;
        });
    }

    private protected long RowsOf(float[] points) => points.Length % Dimension == 0
        ? points.Length / Dimension
        : throw new ArgumentException($"{points.Length} numbers do not make rows of {Dimension}", nameof(points));

    private protected float[] Collect(IEnumerable<SampleChunk> chunks, long count, IProgress<WorkProgress>? progress)
    {
        var all = new float[checked(count * Dimension)];
        long done = 0;
        foreach (SampleChunk chunk in chunks)
        {
            chunk.Points.CopyTo(all.AsSpan(checked((int)(done * Dimension))));
            done += chunk.Count;
            progress?.Report(new WorkProgress(done, count, ""));
        }

        return all;
    }
}

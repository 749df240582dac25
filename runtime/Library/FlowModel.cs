using FlowMatching.Contract;
using FlowMatching.Distributions;
using FlowMatching.Errors;
using FlowMatching.Interpolants;
using FlowMatching.Progress;
using FlowMatching.Randomness;
using FlowMatching.Runtime.Integrators;
using FlowMatching.Runtime.Models;
using FlowMatching.Runtime.Options;
using FlowMatching.Runtime.Sampling;
using FlowMatching.Velocity;

namespace FlowMatching.Runtime;

/// <summary>
/// A velocity field b_t(x) ready to sample and score: an ONNX model (this project's, or any with inputs
/// x [N, d] and t [N]) or the closed-form field of a Gaussian-mixture target (<c>exact:gmm8</c>).
/// Samples and points are row-major float arrays, <see cref="Dimension"/> numbers a row, in the data's
/// units. Every random draw is keyed by (seed, sample index): the same seed gives the same samples
/// whatever the chunking or the split of the index range.
/// </summary>
public sealed class FlowModel : IDisposable
{
    public const string ExactPrefix = "exact:";

    private readonly IVelocityField _model;
    private readonly IVelocityField _field;
    private readonly OnnxSamplerGraph? _graph;
    private readonly Dictionary<string, FlowModel> _weakModels = [];

    internal FlowModel(string source, IVelocityField model, IInterpolant interpolant, ModelContract? contract, OnnxSignature? signature, string provider)
    {
        Source = source;
        _model = model;
        _field = new FiniteVelocityField(model);
        Interpolant = interpolant;
        Contract = contract;
        Signature = signature;
        Provider = provider;
    }

    internal FlowModel(string source, OnnxSamplerGraph graph, ModelContract? contract, string provider)
        : this(source, new NoVelocityField(graph.Dimension, source), new LinearInterpolant(), contract, null, provider)
    {
        _graph = graph;
    }

    /// <summary>What a sampler graph model unrolls (euler:K); null for velocity models.</summary>
    public string? SamplerGraph => _graph?.Method;

    /// <summary>The file (or exact:NAME) the model came from.</summary>
    public string Source { get; }

    public int Dimension => _field.Dimension;

    /// <summary>The shape of one sample: [d] for points, [C, H, W] for images.</summary>
    public IReadOnlyList<int> SampleShape => Signature?.SampleShape ?? _graph?.SampleShape ?? [Dimension];

    /// <summary>How many samples are integrated at once when the options leave <see cref="SamplingOptions.Chunk"/> unset.</summary>
    public int DefaultChunk => SampleShape.Count == 3 ? SamplingOptions.DefaultImageChunk : SamplingOptions.DefaultChunk;

    /// <summary>The classes of a class-conditional model (the null class's id); 0 otherwise.</summary>
    public int Classes => _graph is { HasClasses: true } ? Contract?.NullClass ?? 0 : (_model as IClassConditionalField)?.Classes ?? 0;

    /// <summary>The interpolant the SDE and the score use: from the metadata, else the load options, else linear.</summary>
    public IInterpolant Interpolant { get; }

    /// <summary>The model contract from the file's metadata; null for models without it and for exact fields.</summary>
    public ModelContract? Contract { get; }

    /// <summary>
    /// The fixed-step ODE solver the model's maker measured best (its guidance is in
    /// <see cref="ModelContract.Recommended"/>); null when the file recommends none.
    /// </summary>
    public OdeSolverOptions? RecommendedSolver => Contract?.Recommended is { } recommended
        ? new OdeSolverOptions
        {
            Method = recommended.Method.Solver(),
            Steps = recommended.Grid is null ? recommended.Steps : null,
            Grid = recommended.Grid,
        }
        : null;

    /// <summary>
    /// The autoguidance the model's maker measured best for unconditional samples, its weak model's path resolved
    /// beside this file; null when the file recommends none.
    /// </summary>
    public Autoguidance? RecommendedAutoguidance => Contract?.Recommended?.Autoguidance is { } recommended
        ? new Autoguidance(recommended.WeakModelBeside(Source), recommended.Weight)
        : null;

    /// <summary>How the model was opened; weak models for autoguidance are opened the same way.</summary>
    internal ModelLoadOptions LoadOptions { get; init; } = new();

    /// <summary>The graph's inputs and output; null for exact fields.</summary>
    public OnnxSignature? Signature { get; }

    /// <summary>Where the network runs: "CPU", "CUDA", or "closed form".</summary>
    public string Provider { get; }

    /// <summary>The velocity field in the model's own units (standardised, for models of CSV data).</summary>
    public IVelocityField Field => _field;

    /// <summary>The data standardisation recorded by the trainer, or null when the model works in the data's units.</summary>
    public Standardization? Scaling => Contract is { DataMean.Count: > 0 } contract ? new Standardization(contract.DataMean, contract.DataStd) : null;

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

    /// <summary>Draws samples <paramref name="offset"/> .. <paramref name="offset"/> + <paramref name="count"/> - 1.</summary>
    public float[] Sample(long count, SamplingOptions options, long seed = 0, long offset = 0, IProgress<WorkProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Collect(SampleChunks(count, options, seed, offset, cancellationToken: cancellationToken), count, progress);

    /// <summary>The same samples as <see cref="Sample"/>, a chunk at a time, so any count fits in memory.</summary>
    public IEnumerable<SampleChunk> SampleChunks(long count, SamplingOptions options, long seed = 0, long offset = 0, PathObserver? observer = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return _graph is null
            ? AbortingOn(CreateSampler(options, seed).Sample(offset, count, seed, observer, cancellationToken), cancellationToken)
            : SampleGraph(_graph, count, options, seed, offset, cancellationToken);
    }

    // Cancellation is checked between steps; this also stops a network evaluation already running (a weak model's too).
    private IEnumerable<SampleChunk> AbortingOn(IEnumerable<SampleChunk> chunks, CancellationToken cancellationToken)
    {
        List<CancellationTokenRegistration> aborts = [.. _weakModels.Values.Select(weak => weak._model).Append(_model).OfType<RowParallelField>().Select(field => field.AbortOn(cancellationToken))];
        try
        {
            foreach (SampleChunk chunk in chunks)
            {
                yield return chunk;
            }
        }
        finally
        {
            aborts.ForEach(abort => abort.Dispose());
        }
    }

    /// <summary>
    /// A <paramref name="steps"/>-step time grid for the fixed-step ODE methods (<see cref="OdeSolverOptions.Grid"/>)
    /// that puts the steps where a tight dopri5 solve of this model's ODE (from fixed pilot noise, with the given
    /// classes and guidance) took its own: see <see cref="Sampling.AdaptedTimeGrid"/>. The same model and
    /// settings always give the same grid.
    /// </summary>
    public double[] AdaptedTimeGrid(int steps, Conditioning? conditioning = null, CancellationToken cancellationToken = default)
    {
        if (_graph is not null)
        {
            throw new InvalidSettingException("Grid", $"does not apply to {Source}, a sampler graph with its steps built in");
        }

        var pilot = new float[Sampling.AdaptedTimeGrid.PilotPoints * Dimension];
        new StandardNormal(Dimension).Sample(new RandomStream(0, Streams.TimeGridPilot), pilot);
        var tolerance = new Tolerances(Sampling.AdaptedTimeGrid.PilotTolerance, Sampling.AdaptedTimeGrid.PilotTolerance);
        var options = new OdeSamplingOptions { Solver = new() { Method = OdeMethod.DormandPrince5, Tolerances = tolerance }, Conditioning = conditioning, Chunk = Sampling.AdaptedTimeGrid.PilotPoints };
        var times = new List<double> { 0 };
        PathObserver accepted = (_, _, t, _) =>
        {
            if (t > times[^1])
            {
                times.Add(Math.Min(t, 1));
            }
        };
        foreach (SampleChunk _ in TransportChunks(pilot, options, observer: accepted, cancellationToken: cancellationToken))
        {
        }

        if (times[^1] < 1)
        {
            times.Add(1);
        }

        return Sampling.AdaptedTimeGrid.FromPilot(times, steps);
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
        return AbortingOn(CreateSampler(options, seed).Transport(initial, firstIndex, observer, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// log rho_1(x) of each point (row-major, in the data's units) by the density along characteristics:
    /// the ODE from t = 1 back to 0 with the divergence of b, plus the standardisation's log-determinant.
    /// </summary>
    public LogLikelihoodResult LogLikelihood(float[] points, LikelihoodOptions? options = null, long seed = 0, IProgress<WorkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new LikelihoodOptions();
        options.Validate(Dimension);
        long n = RowsOf(points);
        DivergenceEstimator estimator = options.EstimatorFor(Dimension);
        Standardization? scaling = Scaling;
        float[] modelPoints = scaling is null ? points : scaling.Apply(new Io.PointSet(points, Dimension)).Values;
        double logDeterminant = scaling?.LogDeterminant ?? 0;
        var likelihood = new LogLikelihood(_field, options.Solver.CreateSolver(), estimator == DivergenceEstimator.Hutchinson, options.Probes ?? 4, seed);
        var logDensity = new double[n];
        int evaluations = 0;
        for (int start = 0; start < n; start += options.Chunk)
        {
            int count = (int)Math.Min(options.Chunk, n - start);
            evaluations = Math.Max(evaluations, likelihood.Evaluate(modelPoints.AsSpan(start * Dimension, count * Dimension), start, logDensity.AsSpan(start, count), cancellationToken));
            progress?.Report(new WorkProgress(start + count, n, $"{estimator.ToString().ToLowerInvariant()} divergence"));
        }

        for (int i = 0; i < n; i++)
        {
            logDensity[i] += logDeterminant;
        }

        return new LogLikelihoodResult(logDensity, evaluations, estimator);
    }

    public void Dispose()
    {
        (_model as IDisposable)?.Dispose();
        _graph?.Dispose();
        foreach (FlowModel weak in _weakModels.Values)
        {
            weak.Dispose();
        }

        _weakModels.Clear();
    }

    // A sampler graph draws the same starting points as the step-by-step sampler and runs them through its
    // own unrolled method, so only a chunk size and classes (without guidance) apply to it.
    private IEnumerable<SampleChunk> SampleGraph(OnnxSamplerGraph graph, long count, SamplingOptions options, long seed, long offset, CancellationToken cancellationToken)
    {
        options.Validate();
        if (options is not OdeSamplingOptions { Solver: { Method: OdeMethod.Euler, Tolerances: null } solver } || (solver.Steps is { } steps && $"euler:{steps}" != graph.Method))
        {
            throw new InvalidSettingException("Method", $"{Source} is a sampler graph that runs {graph.Method}; it takes no other method or step count");
        }

        if (options.Autoguidance is { IsActive: true })
        {
            throw new InvalidSettingException("Autoguidance", $"does not apply to {Source}, a sampler graph with its field built in");
        }

        if (options.Conditioning is { } conditioning && (conditioning.Guidance != 1 || !graph.HasClasses))
        {
            throw new InvalidSettingException("Guidance", $"{Source} is a sampler graph without guidance: sample it with guidance 1 (classes only where it has them)");
        }

        var normal = new StandardNormal(Dimension);
        int chunk = options.Chunk ?? DefaultChunk;
        for (long done = 0; done < count; done += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int size = (int)Math.Min(chunk, count - done);
            long first = offset + done;
            var start = new float[size * Dimension];
            for (int i = 0; i < size; i++)
            {
                normal.SampleIndexed((ulong)seed, first + i, start.AsSpan(i * Dimension, Dimension));
            }

            long[]? classes = graph.HasClasses
                ? Enumerable.Range(0, size).Select(i => (options.Conditioning?.Classes ?? ClassSelection.None).ClassOf(first + i, Classes)).ToArray()
                : null;
            var samples = new float[start.Length];
            graph.Run(start, classes, samples);
            if (samples.Any(v => !float.IsFinite(v)))
            {
                throw new NonFiniteValueException(1, "the sampler graph's output");
            }

            yield return new SampleChunk(first, size, Dimension, samples, int.Parse(graph.Method.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture)) { Classes = classes };
        }
    }

    // Stands in for the field of a sampler graph, which has none to evaluate.
    private sealed class NoVelocityField(int dimension, string source) : IVelocityField
    {
        public int Dimension => dimension;

        public void Evaluate(double t, ReadOnlySpan<float> points, Span<float> velocity) =>
            throw new InvalidSettingException("Model", $"{source} is a sampler graph: it samples in one call and has no velocity field to integrate or score");
    }

    private Sampler CreateSampler(SamplingOptions options, long seed)
    {
        ITransport transport = options.CreateTransport(Interpolant, seed);
        IVelocityField model = options.Autoguidance is { IsActive: true } autoguidance ? Autoguided(autoguidance) : _model;
        if (options.Conditioning is not { } conditioning)
        {
            return new Sampler(model == _model ? _field : new FiniteVelocityField(model), Scaling, transport, options.Chunk ?? DefaultChunk);
        }

        if (model is not IClassConditionalField { Classes: > 0 } conditional)
        {
            throw new InvalidSettingException("Class", $"{Source} is not a class-conditional model");
        }

        var guided = new GuidedField(conditional, conditioning);
        return new Sampler(new FiniteVelocityField(guided), Scaling, transport, options.Chunk ?? DefaultChunk, guided);
    }

    /// <summary>Opens the weak model (kept for sampling) and throws <see cref="ModelContractException"/> when it cannot guide this one.</summary>
    public void RequireWeakModel(Autoguidance autoguidance) => Autoguided(autoguidance);

    private AutoguidedField Autoguided(Autoguidance autoguidance)
    {
        if (_model is not IClassConditionalField network)
        {
            throw new InvalidSettingException("Autoguidance", $"needs an ONNX velocity model, and {Source} is a closed-form field");
        }

        string path = Path.GetFullPath(autoguidance.WeakModel);
        if (!_weakModels.TryGetValue(path, out FlowModel? weak))
        {
            weak = Load(autoguidance.WeakModel, LoadOptions);
            try
            {
                RequireSameData(weak);
            }
            catch
            {
                weak.Dispose();
                throw;
            }

            _weakModels[path] = weak;
        }

        return new AutoguidedField(network, (IClassConditionalField)weak._model, autoguidance.Weight);
    }

    // A weak model guides only a model of the same data: same values in the same units, same classes, same path.
    private void RequireSameData(FlowModel weak)
    {
        string? mismatch =
            weak.SamplerGraph is not null ? "is a sampler graph, not a velocity model"
            : weak._model is not IClassConditionalField ? "is a closed-form field, not an ONNX velocity model"
            : !weak.SampleShape.SequenceEqual(SampleShape) ? $"samples [{string.Join(",", weak.SampleShape)}], {Source} [{string.Join(",", SampleShape)}]"
            : weak.Classes != Classes ? $"has {weak.Classes} classes, {Source} {Classes}"
            : weak.Interpolant.Name != Interpolant.Name ? $"was trained with the {weak.Interpolant.Name} interpolant, {Source} with the {Interpolant.Name}"
            : weak.Contract?.Target != Contract?.Target ? $"was trained on {weak.Contract?.Target ?? "unknown data"}, {Source} on {Contract?.Target ?? "unknown data"}"
            : !SameNumbers(weak.Scaling?.Mean, Scaling?.Mean) || !SameNumbers(weak.Scaling?.Std, Scaling?.Std) ? $"standardises its data otherwise than {Source}"
            : null;
        if (mismatch is not null)
        {
            throw new ModelContractException(weak.Source, $"cannot guide {Source} as its weak model: it {mismatch}");
        }
    }

    private static bool SameNumbers(IReadOnlyList<double>? a, IReadOnlyList<double>? b) => a is null ? b is null : b is not null && a.SequenceEqual(b);

    private long RowsOf(float[] points) => points.Length % Dimension == 0
        ? points.Length / Dimension
        : throw new ArgumentException($"{points.Length} numbers do not make rows of {Dimension}", nameof(points));

    private float[] Collect(IEnumerable<SampleChunk> chunks, long count, IProgress<WorkProgress>? progress)
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

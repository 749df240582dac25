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
/// A velocity field b_t(x) ready to sample and score: an ONNX model (this project's, or any with inputs x [N, d] and
/// t [N]) or the closed-form field of a Gaussian-mixture target (<c>exact:gmm8</c>). Samples by integrating its
/// ODE or SDE; also transports given points, scores log-likelihoods and adapts time grids to itself.
/// </summary>
public sealed class VelocityModel : FlowModel
{
    private readonly FieldComposition _composition;

    internal VelocityModel(string source, IVelocityField network, IInterpolant interpolant, ModelContract? contract, OnnxSignature? signature, string provider, ModelLoadOptions loadOptions)
        : base(source, contract, provider)
    {
        Network = network;
        Field = new FiniteVelocityField(network);
        Interpolant = interpolant;
        Signature = signature;
        LoadOptions = loadOptions;
        _composition = new FieldComposition(this, network);
    }

    /// <summary>Opens a velocity model (see <see cref="FlowModel.Load"/>); a sampler graph is refused.</summary>
    public static new VelocityModel Load(string source, ModelLoadOptions? options = null) => Of(FlowModel.Load(source, options));

    /// <summary>The model as a velocity model; a sampler graph is closed and refused.</summary>
    public static VelocityModel Of(FlowModel model)
    {
        if (model is VelocityModel velocity)
        {
            return velocity;
        }

        model.Dispose();
        throw new InvalidSettingException("Model", $"{model.Source} is a sampler graph: it samples in one call and has no velocity field to integrate or score");
    }

    public override IReadOnlyList<int> SampleShape => Signature?.SampleShape ?? [Field.Dimension];

    public override int Classes => (Network as IClassConditionalField)?.Classes ?? 0;

    /// <summary>The interpolant the SDE and the score use: from the metadata, else the load options, else linear.</summary>
    public IInterpolant Interpolant { get; }

    /// <summary>The graph's inputs and output; null for exact fields.</summary>
    public OnnxSignature? Signature { get; }

    /// <summary>The velocity field in the model's own units (standardised, for models of CSV data).</summary>
    public IVelocityField Field { get; }

    /// <summary>
    /// The fixed-step ODE solver the model's maker measured best (its guidance is in
    /// <see cref="ModelContract.Recommended"/>); null when the file recommends none.
    /// </summary>
    public OdeSolverOptions? RecommendedSolver => Contract?.Recommended is { } recommended
        ? new OdeSolverOptions
        {
            Method = recommended.Method,
            Steps = recommended.Grid is null ? recommended.Steps : null,
            Grid = recommended.Grid,
        }
        : null;

    /// <summary>
    /// The network itself, without the finite check of <see cref="Field"/>: an <see cref="IClassConditionalField"/>
    /// for class-conditional models, what guidance and autoguidance wrap.
    /// </summary>
    public IVelocityField Network { get; }

    /// <summary>How the model was opened; weak models for autoguidance are opened the same way.</summary>
    internal ModelLoadOptions LoadOptions { get; }

    public override ResolvedSampling Resolve(SamplingOptions requested, CancellationToken cancellationToken = default)
    {
        ResolvedSampling resolved = Recommendation.Resolve(requested, Contract?.Recommended, Source);
        if (resolved.Options is not OdeSamplingOptions { Solver.TimeGrid: TimeGridKind.Adapted } ode)
        {
            return resolved;
        }

        if (ode.Solver.IsAdaptive)
        {
            throw new InvalidSettingException("TimeGrid", "adapted applies only to the fixed-step ODE methods (euler, midpoint, heun, rk4)");
        }

        double[] grid = AdaptedTimeGrid(ode.Solver.Steps ?? OdeSolverOptions.DefaultSteps, ode.Conditioning, cancellationToken);
        return resolved with { Options = ode with { Solver = ode.Solver with { Steps = null, TimeGrid = null, Grid = grid } }, AdaptedGrid = grid };
    }

    /// <summary>
    /// A <paramref name="steps"/>-step time grid for the fixed-step ODE methods (<see cref="OdeSolverOptions.Grid"/>)
    /// that puts the steps where a tight dopri5 solve of this model's ODE (from fixed pilot noise, with the given
    /// classes and guidance) took its own: see <see cref="Sampling.AdaptedTimeGrid"/>. The same model and
    /// settings always give the same grid.
    /// </summary>
    public double[] AdaptedTimeGrid(int steps, Conditioning? conditioning = null, CancellationToken cancellationToken = default)
    {
        var pilot = new float[Sampling.AdaptedTimeGrid.PilotPoints * Dimension];
        new StandardNormal(Dimension).Sample(new RandomStream(0, Streams.TimeGridPilot), pilot);
        var tolerance = new Tolerances(Sampling.AdaptedTimeGrid.PilotTolerance, Sampling.AdaptedTimeGrid.PilotTolerance);
        var options = new OdeSamplingOptions
        {
            Solver = new() { Method = OdeMethod.DormandPrince5, Tolerances = tolerance },
            Conditioning = conditioning,
            Chunk = Sampling.AdaptedTimeGrid.PilotPoints,
            UseRecommendation = false,
        };
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
        var likelihood = new LogLikelihood(Field, options.Solver.CreateSolver(), estimator, options.Probes ?? 4, seed);
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

    /// <summary>Opens the weak model (kept for sampling) and throws <see cref="ModelContractException"/> when it cannot guide this one.</summary>
    public void RequireWeakModel(Autoguidance autoguidance) => _composition.Autoguided(autoguidance);

    public override void Dispose()
    {
        (Network as IDisposable)?.Dispose();
        _composition.Dispose();
    }

    private protected override Sampler CreateSampler(SamplingOptions effective, long seed)
    {
        IIntegrator integrator = effective.CreateIntegrator(Interpolant, seed);
        return Integrating(effective, integrator, _composition.Compose(effective));
    }

    // Cancellation is checked between steps; this also stops a network evaluation already running (a weak model's too).
    private protected override IEnumerable<SampleChunk> Running(IEnumerable<SampleChunk> chunks, CancellationToken cancellationToken)
    {
        List<CancellationTokenRegistration> aborts = [.. _composition.Networks.OfType<RowParallelField>().Select(field => field.AbortOn(cancellationToken))];
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
}

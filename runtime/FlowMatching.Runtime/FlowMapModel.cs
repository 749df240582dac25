using FlowMatching.Contract;
using FlowMatching.Errors;
using FlowMatching.Interpolants;
using FlowMatching.Runtime.Integrators;
using FlowMatching.Runtime.Models;
using FlowMatching.Runtime.Options;
using FlowMatching.Runtime.Sampling;

namespace FlowMatching.Runtime;

/// <summary>
/// A flow-map model: its network returns the average velocity u(x, t, h[, y]) over a step, and it samples in K uniform
/// steps x &lt;- x + h u(x, t, h), h = 1/K (the model's recommended K unless asked otherwise), one network evaluation
/// a step (two under guidance, u_null + w (u_c - u_null)). Starting noise, classes, chunks and seeds are drawn as for
/// a <see cref="VelocityModel"/>, so the same seed gives the same samples whatever the chunking.
/// </summary>
public sealed class FlowMapModel : FlowModel
{
    private readonly IFlowMapField _network;
    private readonly IReadOnlyList<int> _shape;

    internal FlowMapModel(string source, IFlowMapField network, IReadOnlyList<int> sampleShape, ModelContract? contract, string provider)
        : base(source, contract, provider)
    {
        _network = network;
        _shape = sampleShape;
    }

    /// <summary>A flow map evaluated in this process (a closed form, the caller's own network); it recommends nothing.</summary>
    public FlowMapModel(IFlowMapField network, IReadOnlyList<int> sampleShape, string source = "flow map")
        : this(source, network, sampleShape, null, "in process")
    {
    }

    public override IReadOnlyList<int> SampleShape => _shape;

    public override int Classes => _network.Classes;

    /// <summary>The network itself: u(x, t, h[, y]).</summary>
    public IFlowMapField Network => _network;

    /// <summary>The uniform steps the model's maker measured best; null when the file recommends none.</summary>
    public int? RecommendedSteps => Contract?.Recommended?.Steps;

    public override ResolvedSampling Resolve(SamplingOptions requested, CancellationToken cancellationToken = default)
    {
        ResolvedSampling resolved = Recommendation.Resolve(requested, Contract?.Recommended, Source);
        if (resolved.Options is not OdeSamplingOptions { Solver: { Method: null or OdeMethod.Euler, Tolerances: null, Grid: null, TimeGrid: null or TimeGridKind.Uniform } } ode)
        {
            throw new InvalidSettingException("Method", $"{Source} is a flow map: it samples in uniform steps x + h u(x, t, h) and takes no ODE method, SDE, time grid or tolerances");
        }

        if (ode.Autoguidance is { IsActive: true })
        {
            throw new InvalidSettingException("Autoguidance", $"does not apply to {Source}, a flow map (class guidance does)");
        }

        return resolved with { Options = ode with { Solver = ode.Solver with { Method = OdeMethod.Euler } } };
    }

    public override void Dispose() => (_network as IDisposable)?.Dispose();

    private protected override Sampler CreateSampler(SamplingOptions effective, long seed)
    {
        var ode = (OdeSamplingOptions)effective;
        int steps = ode.Solver.Steps ?? OdeSolverOptions.DefaultSteps;
        IIntegrator integrator = ode.CreateIntegrator(new LinearInterpolant(), seed);
        return Integrating(effective, integrator, FieldComposition.Guided(new StepBoundField(_network, 1.0 / steps), ode.Conditioning, Source));
    }

    // Cancellation is checked between steps; this also stops a network evaluation already running.
    private protected override IEnumerable<SampleChunk> Running(IEnumerable<SampleChunk> chunks, CancellationToken cancellationToken)
    {
        using CancellationTokenRegistration? abort = (_network as RowParallelField)?.AbortOn(cancellationToken);
        foreach (SampleChunk chunk in chunks)
        {
            yield return chunk;
        }
    }
}

using FlowMatching.Errors;
using FlowMatching.Interpolants;
using FlowMatching.Runtime.Integrators;

namespace FlowMatching.Runtime.Options;

/// <summary>
/// How samples are drawn: an ODE or an SDE integrator, classes and guidance, and how many points are integrated at
/// once. Settings left null follow the model's recommendation (<see cref="FlowModel.Resolve"/>) unless
/// <see cref="UseRecommendation"/> is false.
/// </summary>
public abstract record SamplingOptions
{
    // Small enough that a chunk's intermediate tensors stay in the CPU's caches (measured in models/README.md, 'Fast sampling routes').
    public const int DefaultChunk = 1000;

    // Large enough to batch the convolutions, small enough to bound memory (measured in models/README.md, 'Fast sampling routes').
    public const int DefaultImageChunk = 100;

    /// <summary>
    /// Whether settings left null take the model's recommended values (its measured best sampler, guidance and
    /// autoguidance); false: they take the library's defaults, as for a model that recommends nothing.
    /// </summary>
    public bool UseRecommendation { get; init; } = true;

    /// <summary>
    /// Points integrated at once; bounds memory, never changes the samples of fixed-step methods. Null: the model's
    /// own default (<see cref="DefaultChunk"/> points, <see cref="DefaultImageChunk"/> images).
    /// </summary>
    public int? Chunk { get; init; }

    /// <summary>Classes and guidance for a class-conditional model; null samples it unconditionally.</summary>
    public Conditioning? Conditioning { get; init; }

    /// <summary>
    /// A weaker model to guide the field away from; null: the model's recommendation for unconditional samples, else
    /// its own field (<see cref="Options.Autoguidance.Off"/> is always its own field).
    /// </summary>
    public Autoguidance? Autoguidance { get; init; }

    /// <summary>Throws <see cref="InvalidSettingException"/> for a setting out of range or foreign to the method.</summary>
    public virtual void Validate()
    {
        if (Chunk is < 1)
        {
            throw new InvalidSettingException(nameof(Chunk), $"must be at least 1, not {Chunk}");
        }

        Conditioning?.Validate();
        Autoguidance?.Validate();
    }

    /// <summary>Checks every setting, then builds the integrator for one run.</summary>
    public IIntegrator CreateIntegrator(IInterpolant interpolant, long seed)
    {
        Validate();
        return Build(interpolant, seed);
    }

    private protected abstract IIntegrator Build(IInterpolant interpolant, long seed);
}

/// <summary>The probability-flow ODE, integrated from t = 0 to 1 (defaults: the tutorial's Euler, 80 steps).</summary>
public sealed record OdeSamplingOptions : SamplingOptions
{
    public OdeSolverOptions Solver { get; init; } = new();

    public override void Validate()
    {
        base.Validate();
        Solver.Validate();
    }

    private protected override IIntegrator Build(IInterpolant interpolant, long seed) => Solver.CreateSolver();
}

/// <summary>The generative SDE (defaults: the tutorial's Euler-Maruyama, 80 steps on [0, 0.99], eps_t = 2 alpha_t).</summary>
public sealed record SdeSamplingOptions : SamplingOptions
{
    public SdeMethod Method { get; init; } = SdeMethod.EulerMaruyama;

    public int Steps { get; init; } = 80;

    /// <summary>The diffusion scale eps.</summary>
    public double Eps { get; init; } = 2.0;

    public DiffusionSchedule Diffusion { get; init; } = DiffusionSchedule.Alpha;

    /// <summary>End with a noise-free Euler step from t = 0.99 to 1.</summary>
    public bool Denoise { get; init; }

    public override void Validate()
    {
        base.Validate();
        if (Steps is < 1 or > 1_000_000)
        {
            throw new InvalidSettingException(nameof(Steps), $"must be between 1 and 1000000, not {Steps}");
        }

        if (!(Eps >= 0 && Eps <= 1e6))
        {
            throw new InvalidSettingException(nameof(Eps), $"must be between 0 and 1000000, not {Eps}");
        }
    }

    private protected override IIntegrator Build(IInterpolant interpolant, long seed)
    {
        ISdeStepRule rule = Method switch
        {
            SdeMethod.EulerMaruyama => new EulerMaruyamaStep(),
            SdeMethod.StochasticHeun => new StochasticHeunStep(),
            _ => throw new InvalidSettingException(nameof(Method), $"unknown SDE method {Method}"),
        };
        var coefficients = new SdeCoefficients(interpolant, Eps, Diffusion);
        return new SdeSolver(rule, coefficients, Steps, seed, denoise: Denoise);
    }
}

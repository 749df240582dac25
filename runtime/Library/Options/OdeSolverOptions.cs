using FlowMatching.Errors;
using FlowMatching.Interpolants;
using FlowMatching.Runtime.Integrators;

namespace FlowMatching.Runtime.Options;

/// <summary>
/// An ODE integrator and what configures it: <see cref="Steps"/> for the fixed-step methods,
/// <see cref="Tolerances"/> for dormand-prince. Setting one that does not apply to the method is an error,
/// not silently ignored.
/// </summary>
public sealed record OdeSolverOptions
{
    public const int DefaultSteps = 80;

    public OdeMethod Method { get; init; } = OdeMethod.Euler;

    /// <summary>Steps on the uniform grid; null means <see cref="DefaultSteps"/>. Fixed-step methods only.</summary>
    public int? Steps { get; init; }

    /// <summary>Error control; null means the defaults. <see cref="OdeMethod.DormandPrince5"/> only.</summary>
    public Tolerances? Tolerances { get; init; }

    /// <summary>
    /// The times of a fixed-step method as fractions of [0, 1], from 0 to 1 and increasing (for example
    /// <see cref="FlowModel.AdaptedTimeGrid"/>); null means <see cref="Steps"/> uniform steps.
    /// </summary>
    public IReadOnlyList<double>? Grid { get; init; }

    public bool IsAdaptive => Method == OdeMethod.DormandPrince5;

    /// <summary>Throws <see cref="InvalidSettingException"/> for a setting out of range or foreign to the method.</summary>
    public void Validate()
    {
        if (IsAdaptive && Steps is not null)
        {
            throw new InvalidSettingException(nameof(Steps), "does not apply to dopri5, which chooses its own steps from its tolerances");
        }

        if (!IsAdaptive && Tolerances is not null)
        {
            throw new InvalidSettingException(nameof(Tolerances), $"apply only to dopri5, not to the fixed-step {Method} method");
        }

        if (Grid is not null && (IsAdaptive || Steps is not null))
        {
            throw new InvalidSettingException(nameof(Grid), IsAdaptive ? "does not apply to dopri5, which chooses its own steps" : "and a number of steps cannot both be given: the grid has its own");
        }

        if (Grid is not null && !TimeGrid.RisesFromZeroToOne(Grid))
        {
            throw new InvalidSettingException(nameof(Grid), "must rise strictly from 0 to 1");
        }

        if (Steps is < 1 or > 1_000_000)
        {
            throw new InvalidSettingException(nameof(Steps), $"must be between 1 and 1000000, not {Steps}");
        }

        Tolerances?.Validate();
    }

    public IOdeSolver CreateSolver()
    {
        Validate();
        IStepRule? rule = Method switch
        {
            OdeMethod.Euler => new EulerStep(),
            OdeMethod.Midpoint => new MidpointStep(),
            OdeMethod.Heun => new HeunStep(),
            OdeMethod.RungeKutta4 => new RungeKutta4Step(),
            OdeMethod.DormandPrince5 => null,
            _ => throw new InvalidSettingException(nameof(Method), $"unknown ODE method {Method}"),
        };
        return rule is null ? new DormandPrince5Solver(Tolerances ?? new Tolerances())
            : Grid is null ? new FixedStepOdeSolver(rule, Steps ?? DefaultSteps)
            : new FixedStepOdeSolver(rule, Grid);
    }
}

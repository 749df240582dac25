using FlowMatching.Contract;
using FlowMatching.Errors;
using FlowMatching.Interpolants;
using FlowMatching.Runtime.Integrators;

namespace FlowMatching.Runtime.Options;

/// <summary>
/// An ODE integrator and what configures it: <see cref="Steps"/> for the fixed-step methods,
/// <see cref="Tolerances"/> for dormand-prince. Setting one that does not apply to the method is an error,
/// not silently ignored. What is left null is taken from the model's recommendation when sampling follows it
/// (<see cref="SamplingOptions.UseRecommendation"/>), else from the defaults (Euler, <see cref="DefaultSteps"/> uniform steps).
/// </summary>
public sealed record OdeSolverOptions
{
    public const int DefaultSteps = 80;

    /// <summary>The integrator; null: the model's recommended one, else Euler.</summary>
    public OdeMethod? Method { get; init; }

    /// <summary>Steps of a fixed-step method; null: the recommended number, else <see cref="DefaultSteps"/>.</summary>
    public int? Steps { get; init; }

    /// <summary>
    /// Where the steps lie: uniform, or <see cref="TimeGridKind.Adapted"/> to the model's own dopri5 pilot (computed
    /// before sampling, see <see cref="VelocityModel.AdaptedTimeGrid"/>); null: the model's recommended times, else uniform.
    /// </summary>
    public TimeGridKind? TimeGrid { get; init; }

    /// <summary>Error control; null means the defaults. <see cref="OdeMethod.DormandPrince5"/> only.</summary>
    public Tolerances? Tolerances { get; init; }

    /// <summary>
    /// The times of a fixed-step method as fractions of [0, 1], from 0 to 1 and increasing (for example
    /// <see cref="VelocityModel.AdaptedTimeGrid"/>); null means <see cref="Steps"/> uniform steps.
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
            throw new InvalidSettingException(nameof(Tolerances), $"apply only to dopri5, not to the fixed-step {Method ?? OdeMethod.Euler} method");
        }

        if (TimeGrid is not null && IsAdaptive)
        {
            throw new InvalidSettingException(nameof(TimeGrid), "does not apply to dopri5, which chooses its own steps");
        }

        if (Grid is not null && (IsAdaptive || Steps is not null || TimeGrid is not null))
        {
            throw new InvalidSettingException(nameof(Grid), IsAdaptive ? "does not apply to dopri5, which chooses its own steps" : "and a number of steps or a kind of grid cannot both be given: the grid has its own");
        }

        if (Grid is not null && !Interpolants.TimeGrid.RisesFromZeroToOne(Grid))
        {
            throw new InvalidSettingException(nameof(Grid), "must rise strictly from 0 to 1");
        }

        if (Steps is < 1 or > 1_000_000)
        {
            throw new InvalidSettingException(nameof(Steps), $"must be between 1 and 1000000, not {Steps}");
        }

        Tolerances?.Validate();
    }

    /// <summary>The solver; an adapted <see cref="TimeGrid"/> must have been turned into a <see cref="Grid"/> first.</summary>
    public IOdeSolver CreateSolver()
    {
        Validate();
        if (TimeGrid == TimeGridKind.Adapted)
        {
            throw new InvalidSettingException(nameof(TimeGrid), "adapted: the grid is the model's own; sample through the model, which computes it");
        }

        IStepRule? rule = (Method ?? OdeMethod.Euler) switch
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

using FlowMatching.Errors;
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

        if (Steps is < 1 or > 1_000_000)
        {
            throw new InvalidSettingException(nameof(Steps), $"must be between 1 and 1000000, not {Steps}");
        }

        Tolerances?.Validate();
    }

    public IOdeSolver CreateSolver()
    {
        Validate();
        int steps = Steps ?? DefaultSteps;
        return Method switch
        {
            OdeMethod.Euler => new FixedStepOdeSolver(new EulerStep(), steps),
            OdeMethod.Midpoint => new FixedStepOdeSolver(new MidpointStep(), steps),
            OdeMethod.Heun => new FixedStepOdeSolver(new HeunStep(), steps),
            OdeMethod.RungeKutta4 => new FixedStepOdeSolver(new RungeKutta4Step(), steps),
            OdeMethod.DormandPrince5 => new DormandPrince5Solver(Tolerances ?? new Tolerances()),
            _ => throw new InvalidSettingException(nameof(Method), $"unknown ODE method {Method}"),
        };
    }
}

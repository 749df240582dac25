namespace FlowMatching.Runtime.Integrators;

/// <summary>The ODE methods offered by --method, with the options that configure them.</summary>
public static class OdeSolverCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["euler", "midpoint", "heun", "rk4", "dopri5"];

    public static IStepRule Rule(string name) => name switch
    {
        "euler" => new EulerStep(),
        "midpoint" => new MidpointStep(),
        "heun" => new HeunStep(),
        "rk4" => new RungeKutta4Step(),
        _ => throw new UserInputException($"--method {name}: not a fixed-step ODE method (known: euler, midpoint, heun, rk4)"),
    };

    public static IOdeSolver Create(string name, int steps, Tolerances? tolerances = null)
    {
        if (name == "dopri5")
        {
            Tolerances limits = tolerances ?? new Tolerances();
            return new DormandPrince5Solver(limits.Relative, limits.Absolute, limits.MaxSteps);
        }

        return Names.Contains(name)
            ? new FixedStepOdeSolver(Rule(name), steps)
            : throw new UserInputException($"--method {name}: not an ODE method (known: {string.Join(", ", Names)})");
    }
}

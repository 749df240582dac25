namespace FlowMatching.Runtime.Integrators;

/// <summary>The ODE methods offered by --method.</summary>
public static class OdeSolverCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["euler", "midpoint", "heun", "rk4"];

    public static IStepRule Rule(string name) => name switch
    {
        "euler" => new EulerStep(),
        "midpoint" => new MidpointStep(),
        "heun" => new HeunStep(),
        "rk4" => new RungeKutta4Step(),
        _ => throw new UserInputException($"--method {name}: not an ODE method (known: {string.Join(", ", Names)})"),
    };
}

namespace FlowMatching.Runtime.Integrators;

/// <summary>The SDE schemes offered by --method with --sampler sde.</summary>
public static class SdeSolverCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["em", "heun"];

    public static ISdeStepRule Rule(string name) => name switch
    {
        "em" => new EulerMaruyamaStep(),
        "heun" => new StochasticHeunStep(),
        _ => throw new UserInputException($"--method {name}: not an SDE method (known: {string.Join(", ", Names)})"),
    };
}

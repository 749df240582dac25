using FlowMatching.Runtime.Integrators;

namespace FlowMatching.Tests;

/// <summary>Step rules by their command-line names, for tests that check a rule's own properties.</summary>
public static class Rules
{
    public static IStepRule Ode(string name) => name switch
    {
        "euler" => new EulerStep(),
        "midpoint" => new MidpointStep(),
        "heun" => new HeunStep(),
        "rk4" => new RungeKutta4Step(),
        _ => throw new ArgumentException(name),
    };

    public static ISdeStepRule Sde(string name) => name switch
    {
        "em" => new EulerMaruyamaStep(),
        "heun" => new StochasticHeunStep(),
        _ => throw new ArgumentException(name),
    };
}

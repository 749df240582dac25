namespace FlowMatching.Contract;

/// <summary>Integrators of the probability-flow ODE dX/dt = b_t(X); model files recommend and unroll the fixed-step ones.</summary>
public enum OdeMethod
{
    /// <summary>Explicit Euler, the tutorial's.</summary>
    Euler,
    Midpoint,
    Heun,
    RungeKutta4,
    /// <summary>Adaptive Dormand-Prince 5(4); chooses its own steps from tolerances.</summary>
    DormandPrince5,
}

public static class OdeMethods
{
    /// <summary>The names model files store and both command lines take.</summary>
    public static NameTable<OdeMethod> Names { get; } = new(
        ("euler", OdeMethod.Euler), ("midpoint", OdeMethod.Midpoint), ("heun", OdeMethod.Heun), ("rk4", OdeMethod.RungeKutta4), ("dopri5", OdeMethod.DormandPrince5));

    /// <summary>The methods a model's metadata may name: all but the adaptive one.</summary>
    public static NameTable<OdeMethod> FixedStep { get; } = Names.Where(IsFixedStep);

    public static bool IsFixedStep(this OdeMethod method) => method != OdeMethod.DormandPrince5;
}

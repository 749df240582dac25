namespace FlowMatching.Contract;

/// <summary>The fixed-step ODE methods a model's metadata may recommend.</summary>
public enum FixedStepMethod
{
    Euler,
    Midpoint,
    Heun,
    RungeKutta4,
}

public static class FixedStepMethods
{
    /// <summary>The name a model file stores, which both programs' command lines use too.</summary>
    public static string Name(this FixedStepMethod method) => method switch
    {
        FixedStepMethod.RungeKutta4 => "rk4",
        _ => method.ToString().ToLowerInvariant(),
    };

    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<FixedStepMethod>().Select(m => m.Name())];

    public static bool TryParse(string name, out FixedStepMethod method) => NamedEnums.TryParse(Name, name, out method);
}

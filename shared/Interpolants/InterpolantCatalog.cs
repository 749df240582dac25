using FlowMatching.Errors;
namespace FlowMatching.Interpolants;

/// <summary>The interpolants this product knows, by the name stored in model metadata and given on the command line.</summary>
public static class InterpolantCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["linear", "trig"];

    public static IInterpolant Parse(string name) => name switch
    {
        "linear" => new LinearInterpolant(),
        "trig" => new TrigonometricInterpolant(),
        _ => throw new InvalidSettingException("Interpolant", $"unknown interpolant '{name}' (known: {string.Join(", ", Names)})"),
    };
}

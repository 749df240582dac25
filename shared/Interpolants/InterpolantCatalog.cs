namespace FlowMatching.Interpolants;

/// <summary>The interpolants this product knows.</summary>
public enum InterpolantKind
{
    Linear,
    Trigonometric,
}

public static class InterpolantCatalog
{
    public static IInterpolant Create(this InterpolantKind kind) => kind switch
    {
        InterpolantKind.Linear => new LinearInterpolant(),
        InterpolantKind.Trigonometric => new TrigonometricInterpolant(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The name stored in model metadata and given on the command line: the interpolant's own.</summary>
    public static string Name(this InterpolantKind kind) => kind.Create().Name;

    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<InterpolantKind>().Select(k => k.Name())];

    public static bool TryParse(string name, out InterpolantKind kind) => NamedEnums.TryParse(Name, name, out kind);
}

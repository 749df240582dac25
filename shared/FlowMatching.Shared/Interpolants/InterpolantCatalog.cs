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

    /// <summary>The names stored in model metadata and given on the command line: each interpolant's own.</summary>
    public static NameTable<InterpolantKind> Table { get; } = NameTable<InterpolantKind>.Of(kind => kind.Create().Name);

    public static string Name(this InterpolantKind kind) => Table.Name(kind);

    public static IReadOnlyList<string> Names => Table.Names;

    public static bool TryParse(string name, out InterpolantKind kind) => Table.TryParse(name, out kind);
}

namespace FlowMatching.Interpolants;

/// <summary>Where a fixed-step ODE method puts its steps: evenly, or where the model's own dopri5 pilot put its.</summary>
public enum TimeGridKind
{
    Uniform,
    Adapted,
}

public static class TimeGridKinds
{
    /// <summary>The names both programs' command lines take (sample, recommend).</summary>
    public static NameTable<TimeGridKind> Names { get; } = NameTable<TimeGridKind>.Lowercase();
}

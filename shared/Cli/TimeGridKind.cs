namespace FlowMatching.Cli;

/// <summary>Where a fixed-step ODE method puts its steps: evenly, or where the model's own dopri5 pilot put its.</summary>
public enum TimeGridKind
{
    Uniform,
    Adapted,
}

/// <summary>The names of <see cref="TimeGridKind"/> on both programs' command lines (sample, recommend).</summary>
public static class TimeGridNames
{
    public static NameTable<TimeGridKind> Table { get; } = new(("uniform", TimeGridKind.Uniform), ("adapted", TimeGridKind.Adapted));
}

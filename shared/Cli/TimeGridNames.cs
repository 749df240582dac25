using FlowMatching.Interpolants;

namespace FlowMatching.Cli;

/// <summary>The names of <see cref="TimeGridKind"/> on both programs' command lines (sample, recommend).</summary>
public static class TimeGridNames
{
    public static NameTable<TimeGridKind> Table { get; } = new(("uniform", TimeGridKind.Uniform), ("adapted", TimeGridKind.Adapted));
}

using FlowMatching.Interpolants;

namespace FlowMatching.Cli;

/// <summary>The names of <see cref="InterpolantKind"/> on both programs' command lines.</summary>
public static class InterpolantNames
{
    public static NameTable<InterpolantKind> Table { get; } = NameTable<InterpolantKind>.Of(InterpolantCatalog.Name);
}

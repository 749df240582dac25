namespace FlowMatching.Runtime.Cli;

/// <summary>Which samples one `sample` run draws and where it writes them.</summary>
public sealed record SampleRun(long Count, long First, long Seed, string Output, bool Force)
{
    /// <summary>The most samples one run draws: a billion points is 8 GB of 2-D floats; shard beyond it (docs/scaling.md).</summary>
    public const long MaxCount = 1_000_000_000;

    /// <summary>The largest first index: sample indices stay below 2^62, well inside the noise streams' keys.</summary>
    public const long MaxFirst = long.MaxValue / 4;
}

namespace FlowMatching.Runtime.Cli;

/// <summary>Which samples one `sample` run draws and where it writes them.</summary>
public sealed record SampleRun(long Count, long First, long Seed, string Output, bool Force);

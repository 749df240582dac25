namespace FlowMatching.Runtime.Sampling;

/// <summary>How samples are drawn; the defaults are the tutorial's (Euler, 80 steps; SDE eps = 2).</summary>
public sealed record SamplerSettings
{
    /// <summary>ode (probability flow) or sde.</summary>
    public string Kind { get; init; } = "ode";

    public string Method { get; init; } = "euler";

    public int Steps { get; init; } = 80;

    public double Eps { get; init; } = 2.0;

    public long Seed { get; init; }

    public int Chunk { get; init; } = 10000;
}

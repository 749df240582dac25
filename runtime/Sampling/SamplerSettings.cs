using FlowMatching.Runtime.Integrators;

namespace FlowMatching.Runtime.Sampling;

/// <summary>How samples are drawn; the defaults are the tutorial's (Euler, 80 steps; SDE eps = 2).</summary>
public sealed record SamplerSettings
{
    /// <summary>ode (probability flow) or sde.</summary>
    public string Kind { get; init; } = "ode";

    public string Method { get; init; } = "euler";

    public int Steps { get; init; } = 80;

    public double Eps { get; init; } = 2.0;

    /// <summary>SDE diffusion: alpha (eps_t = eps alpha_t, the tutorial's) or constant (eps_t = eps).</summary>
    public string Diffusion { get; init; } = "alpha";

    /// <summary>End the SDE with a noise-free Euler step from 0.99 to 1.</summary>
    public bool Denoise { get; init; }

    public Tolerances Tolerances { get; init; } = new();

    public long Seed { get; init; }

    public int Chunk { get; init; } = 10000;
}

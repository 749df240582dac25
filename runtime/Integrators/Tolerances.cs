namespace FlowMatching.Runtime.Integrators;

/// <summary>How closely the adaptive dopri5 solver must follow the exact flow, and how many steps it may take.</summary>
public sealed record Tolerances(double Relative = 1e-5, double Absolute = 1e-5, int MaxSteps = 10000);

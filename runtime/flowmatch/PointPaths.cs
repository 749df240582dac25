namespace FlowMatching.Runtime.Cli;

/// <summary>Where `flowmatch sample` on a point model starts from and what paths it records, besides the samples.</summary>
/// <param name="Init">Starting points (CSV, d columns, or .npy [N, d]) instead of N(0, I); null draws them.</param>
/// <param name="Trajectory">Where the paths of the first samples go (CSV step,t,id,x0,...); null records none.</param>
/// <param name="TrajectoryCount">How many paths are recorded.</param>
public sealed record PointPaths(string? Init, string? Trajectory, int TrajectoryCount);

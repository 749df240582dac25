using FlowMatching.Contract;

namespace FlowMatching.Training;

/// <summary>What a run fits: the tutorial's velocity field, or a flow map (the average velocity over a step).</summary>
public enum TrainingObjective
{
    /// <summary>The stochastic-interpolant loss for the velocity b_t(x).</summary>
    Interpolant,

    /// <summary>
    /// A flow map u(x, t, h) by the shortcut objective (Frans et al. 2024): the velocity at h = 0, and each step of
    /// size s the average of two steps of s / 2 (<see cref="ShortcutObjective"/>).
    /// </summary>
    Shortcut,
}

public static class TrainingObjectives
{
    /// <summary>The names the command line and checkpoints use.</summary>
    public static NameTable<TrainingObjective> Names { get; } = new(("interpolant", TrainingObjective.Interpolant), ("flow-map:shortcut", TrainingObjective.Shortcut));

    public static ModelKind ModelKind(this TrainingObjective objective) => objective == TrainingObjective.Interpolant ? Contract.ModelKind.VelocityField : Contract.ModelKind.FlowMap;
}

namespace FlowMatching.Contract;

/// <summary>What a model's network returns, and so how it samples.</summary>
public enum ModelKind
{
    /// <summary>The velocity b_t(x) of the interpolant's flow, integrated by an ODE or SDE method.</summary>
    VelocityField,

    /// <summary>
    /// The average velocity u(x, t, h) of that flow over [t, t + h], so that one step x + h u lands where the flow
    /// does; it takes the step size h as an input and samples in a few uniform steps. At h = 0 it is the velocity.
    /// </summary>
    FlowMap,
}

public static class ModelKinds
{
    /// <summary>The names model files store (absent: a velocity field).</summary>
    public static NameTable<ModelKind> Names { get; } = new(("velocity-field", ModelKind.VelocityField), ("flow-map", ModelKind.FlowMap));
}

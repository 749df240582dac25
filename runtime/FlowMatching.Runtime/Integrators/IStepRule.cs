using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Integrators;

/// <summary>One explicit step x(t) -> x(t + h) of a fixed-step Runge-Kutta method.</summary>
public interface IStepRule
{
    string Name { get; }

    /// <summary>Field evaluations per step.</summary>
    int Evaluations { get; }

    /// <summary>Global order of accuracy: the error after integrating to a fixed time falls like h^Order.</summary>
    int Order { get; }

    void Advance(IVelocityField field, double t, double h, Span<float> x, StepWorkspace workspace);
}

/// <summary>Scratch buffers for step rules, sized once per batch so steps allocate nothing.</summary>
public sealed class StepWorkspace(int length)
{
    public float[] K1 { get; } = new float[length];

    public float[] K2 { get; } = new float[length];

    public float[] K3 { get; } = new float[length];

    public float[] K4 { get; } = new float[length];

    public float[] Stage { get; } = new float[length];

    /// <summary>Stage = x + h * k.</summary>
    public Span<float> Offset(ReadOnlySpan<float> x, double h, ReadOnlySpan<float> k)
    {
        for (int i = 0; i < x.Length; i++)
        {
            Stage[i] = (float)(x[i] + h * k[i]);
        }

        return Stage.AsSpan(0, x.Length);
    }
}

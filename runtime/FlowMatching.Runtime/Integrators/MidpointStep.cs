using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Integrators;

/// <summary>The explicit midpoint rule: the slope at the half step, reached by an Euler half step.</summary>
public sealed class MidpointStep : IStepRule
{
    public string Name => "midpoint";

    public int Evaluations => 2;

    public int Order => 2;

    public void Advance(IVelocityField field, double t, double h, Span<float> x, StepWorkspace workspace)
    {
        Span<float> k1 = workspace.K1.AsSpan(0, x.Length);
        Span<float> k2 = workspace.K2.AsSpan(0, x.Length);
        field.Evaluate(t, x, k1);
        field.Evaluate(t + h / 2, workspace.Offset(x, h / 2, k1), k2);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(x[i] + h * k2[i]);
        }
    }
}

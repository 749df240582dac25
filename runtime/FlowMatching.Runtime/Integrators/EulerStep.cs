using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Integrators;

/// <summary>The tutorial's explicit Euler step: X_{t+h} = X_t + h b_t(X_t).</summary>
public sealed class EulerStep : IStepRule
{
    public string Name => "euler";

    public int Evaluations => 1;

    public int Order => 1;

    public void Advance(IVelocityField field, double t, double h, Span<float> x, StepWorkspace workspace)
    {
        Span<float> k1 = workspace.K1.AsSpan(0, x.Length);
        field.Evaluate(t, x, k1);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(x[i] + h * k1[i]);
        }
    }
}

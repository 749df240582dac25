using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Integrators;

/// <summary>The classical fourth-order Runge-Kutta step.</summary>
public sealed class RungeKutta4Step : IStepRule
{
    public string Name => "rk4";

    public int Evaluations => 4;

    public int Order => 4;

    public void Advance(IVelocityField field, double t, double h, Span<float> x, StepWorkspace workspace)
    {
        Span<float> k1 = workspace.K1.AsSpan(0, x.Length);
        Span<float> k2 = workspace.K2.AsSpan(0, x.Length);
        Span<float> k3 = workspace.K3.AsSpan(0, x.Length);
        Span<float> k4 = workspace.K4.AsSpan(0, x.Length);
        field.Evaluate(t, x, k1);
        field.Evaluate(t + h / 2, workspace.Offset(x, h / 2, k1), k2);
        field.Evaluate(t + h / 2, workspace.Offset(x, h / 2, k2), k3);
        field.Evaluate(t + h, workspace.Offset(x, h, k3), k4);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(x[i] + h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
        }
    }
}

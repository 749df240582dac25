using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Integrators;

/// <summary>Heun's method: the mean of the slopes at the start and at the Euler predictor's end.</summary>
public sealed class HeunStep : IStepRule
{
    public string Name => "heun";

    public int Evaluations => 2;

    public int Order => 2;

    public void Advance(IVelocityField field, double t, double h, Span<float> x, StepWorkspace workspace)
    {
        Span<float> k1 = workspace.K1.AsSpan(0, x.Length);
        Span<float> k2 = workspace.K2.AsSpan(0, x.Length);
        field.Evaluate(t, x, k1);
        field.Evaluate(t + h, workspace.Offset(x, h, k1), k2);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(x[i] + h / 2 * (k1[i] + k2[i]));
        }
    }
}

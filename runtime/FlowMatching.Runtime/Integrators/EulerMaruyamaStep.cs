using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Integrators;

/// <summary>The tutorial's Euler-Maruyama step: x + (b + eps_t s) dt + sqrt(2 eps_t dt) xi.</summary>
public sealed class EulerMaruyamaStep : ISdeStepRule
{
    public string Name => "em";

    public int Evaluations => 1;

    public void Advance(IVelocityField field, SdeCoefficients sde, double t, double dt, Span<float> x, ReadOnlySpan<float> xi, StepWorkspace workspace)
    {
        Span<float> b = workspace.K1.AsSpan(0, x.Length);
        field.Evaluate(t, x, b);
        double noise = Math.Sqrt(2 * sde.Diffusion(t) * dt);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(x[i] + sde.Drift(t, b[i], x[i]) * dt + noise * xi[i]);
        }
    }
}

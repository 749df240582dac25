using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Integrators;

/// <summary>
/// A Heun-type stochastic step: an Euler-Maruyama predictor, then the trapezoidal mean of the drifts at
/// both ends with the same noise. The noise is additive (it depends on t only), so this is the stochastic
/// Heun scheme of strong order 1 and weak order 2 for this SDE.
/// </summary>
public sealed class StochasticHeunStep : ISdeStepRule
{
    public string Name => "heun";

    public int Evaluations => 2;

    public void Advance(IVelocityField field, SdeCoefficients sde, double t, double dt, Span<float> x, ReadOnlySpan<float> xi, StepWorkspace workspace)
    {
        Span<float> b = workspace.K1.AsSpan(0, x.Length);
        Span<float> predictedVelocity = workspace.K2.AsSpan(0, x.Length);
        Span<float> drift = workspace.K3.AsSpan(0, x.Length);
        Span<float> predicted = workspace.Stage.AsSpan(0, x.Length);
        field.Evaluate(t, x, b);
        double noise = Math.Sqrt(2 * sde.Diffusion(t) * dt);
        for (int i = 0; i < x.Length; i++)
        {
            drift[i] = (float)sde.Drift(t, b[i], x[i]);
            predicted[i] = (float)(x[i] + drift[i] * dt + noise * xi[i]);
        }

        field.Evaluate(t + dt, predicted, predictedVelocity);
        for (int i = 0; i < x.Length; i++)
        {
            double end = sde.Drift(t + dt, predictedVelocity[i], predicted[i]);
            x[i] = (float)(x[i] + 0.5 * (drift[i] + end) * dt + noise * xi[i]);
        }
    }
}

using FlowMatching.Randomness;
using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Integrators;

/// <summary>
/// Integrates the generative SDE on t_k = k * tEnd / steps (tEnd = 0.99 as in the tutorial, where the
/// score of the data end is still finite). Sample i's noise at step k is keyed by (seed, i, k), so results
/// do not depend on chunking. Optionally ends with a noise-free Euler step of b from tEnd to 1.
/// </summary>
public sealed class SdeSolver(ISdeStepRule rule, SdeCoefficients sde, int steps, long seed, double tEnd = SdeSolver.TutorialEnd, bool denoise = false) : IIntegrator
{
    public const double TutorialEnd = 0.99;

    public int Integrate(IVelocityField field, Span<float> points, long firstSampleIndex, StepObserver? observer = null, CancellationToken cancellationToken = default)
    {
        int d = field.Dimension;
        var workspace = new StepWorkspace(points.Length);
        var xi = new float[points.Length];
        double dt = tEnd / steps;
        for (int k = 0; k < steps; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int i = 0; i < points.Length / d; i++)
            {
                ulong key = CounterRandom.Key((ulong)seed, Streams.ForSample(Streams.SdeNoise, firstSampleIndex + i));
                for (int j = 0; j < d; j++)
                {
                    xi[i * d + j] = (float)CounterRandom.Gaussian(key, (ulong)(k * d + j));
                }
            }

            rule.Advance(field, sde, k * dt, dt, points, xi, workspace);
            observer?.Invoke(k + 1, (k + 1) * dt, points);
        }

        if (!denoise)
        {
            return steps * rule.Evaluations;
        }

        new EulerStep().Advance(field, tEnd, 1 - tEnd, points, workspace);
        observer?.Invoke(steps + 1, 1, points);
        return steps * rule.Evaluations + 1;
    }
}

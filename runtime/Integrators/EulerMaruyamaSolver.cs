using FlowMatching.Interpolants;
using FlowMatching.Randomness;
using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Integrators;

/// <summary>
/// The tutorial's Euler-Maruyama scheme for dX = (b + eps_t s) dt + sqrt(2 eps_t) dW with eps_t = eps alpha_t,
/// on t_k = k * tEnd / steps (tEnd = 0.99 as in the tutorial). eps_t s is formed as eps (alpha s), which
/// stays finite as alpha_t -> 0. Each sample's noise is keyed by its global index, so results do not
/// depend on chunking.
/// </summary>
public sealed class EulerMaruyamaSolver(IInterpolant interpolant, double eps, int steps, long seed, double tEnd = 0.99)
{
    public const double TutorialEnd = 0.99;

    public int Solve(IVelocityField field, Span<float> points, long firstSampleIndex, StepObserver? observer = null)
    {
        int d = field.Dimension;
        var velocity = new float[points.Length];
        double dt = tEnd / steps;
        for (int k = 0; k < steps; k++)
        {
            double t = k * dt;
            field.Evaluate(t, points, velocity);
            double noiseScale = Math.Sqrt(2 * eps * interpolant.Alpha(t) * dt);
            for (int i = 0; i < points.Length / d; i++)
            {
                ulong key = CounterRandom.Key((ulong)seed, Streams.ForSample(Streams.SdeNoise, firstSampleIndex + i));
                for (int j = i * d; j < (i + 1) * d; j++)
                {
                    double drift = velocity[j] + eps * interpolant.AlphaScore(t, velocity[j], points[j]);
                    double xi = CounterRandom.Gaussian(key, (ulong)(k * d + j - i * d));
                    points[j] = (float)(points[j] + drift * dt + noiseScale * xi);
                }
            }

            observer?.Invoke(k + 1, (k + 1) * dt, points);
        }

        return steps;
    }
}

using FlowMatching.Distributions;
using FlowMatching.Runtime.Integrators;
using FlowMatching.Runtime.Options;
using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Sampling;

/// <summary>
/// log rho_1(x) by the density-along-characteristics formula: integrate the probability-flow ODE from
/// x at t = 1 back to X_0 together with a = -integral of div b, then log rho_1(x) = log rho_0(X_0) + a.
/// </summary>
public sealed class LogLikelihood(IVelocityField field, IOdeSolver solver, DivergenceEstimator estimator, int probes, long seed)
{
    /// <summary>Writes log rho_1 of each point (row-major, d a row) into <paramref name="logDensity"/>; returns field evaluations.</summary>
    public int Evaluate(ReadOnlySpan<float> points, long firstIndex, Span<double> logDensity, CancellationToken cancellationToken = default)
    {
        int d = field.Dimension;
        int n = points.Length / d;
        var augmented = new float[n * (d + 1)];
        for (int i = 0; i < n; i++)
        {
            points.Slice(i * d, d).CopyTo(augmented.AsSpan(i * (d + 1), d));
        }

        int evaluations = solver.Solve(new DivergenceField(field, estimator, probes, seed, firstIndex), augmented, 1, 0, cancellationToken: cancellationToken);
        var normal = new StandardNormal(d);
        for (int i = 0; i < n; i++)
        {
            logDensity[i] = normal.LogDensity(augmented.AsSpan(i * (d + 1), d)) + augmented[i * (d + 1) + d];
        }

        return evaluations;
    }
}

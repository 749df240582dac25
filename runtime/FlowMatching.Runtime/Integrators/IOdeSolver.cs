using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Integrators;

/// <summary>Called after each completed step with the step's index (1-based), its end time and the points there.</summary>
public delegate void StepObserver(int step, double t, ReadOnlySpan<float> points);

/// <summary>A solver of the probability-flow ODE dX/dt = b_t(X); as a sampler it integrates from 0 to 1.</summary>
public interface IOdeSolver : IIntegrator
{
    /// <summary>Integrates the points in place from <paramref name="from"/> to <paramref name="to"/> (either direction) and returns the number of field evaluations.</summary>
    int Solve(IVelocityField field, Span<float> points, double from, double to, StepObserver? observer = null, CancellationToken cancellationToken = default);

    int IIntegrator.Integrate(IVelocityField field, Span<float> points, long firstIndex, StepObserver? observer, CancellationToken cancellationToken) =>
        Solve(field, points, 0, 1, observer, cancellationToken);
}

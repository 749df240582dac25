using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Integrators;

/// <summary>
/// Carries the points of samples <c>firstIndex</c>.. from t = 0 to t = 1 along a velocity field: every sampler,
/// ODE or SDE, is one. Randomness, where there is any, is keyed by sample index.
/// </summary>
public interface IIntegrator
{
    /// <summary>Integrates the points in place; returns the field evaluations it took.</summary>
    int Integrate(IVelocityField field, Span<float> points, long firstIndex, StepObserver? observer, CancellationToken cancellationToken);
}

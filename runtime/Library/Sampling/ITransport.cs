using FlowMatching.Runtime.Integrators;
using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Sampling;

/// <summary>
/// Carries points from t = 0 to t = 1 along a velocity field: the probability-flow ODE and the SDE are
/// its two implementations, each built once per run from its options.
/// </summary>
public interface ITransport
{
    /// <summary>The method, as a user would name it (euler, dopri5, em, ...).</summary>
    string Name { get; }

    /// <summary>
    /// Integrates the points of samples <paramref name="firstIndex"/>.. in place; returns the field
    /// evaluations it took. Randomness, where there is any, is keyed by sample index.
    /// </summary>
    int Transport(IVelocityField field, Span<float> points, long firstIndex, StepObserver? observer, CancellationToken cancellationToken);
}

/// <summary>The probability-flow ODE dX/dt = b_t(X) from t = 0 to 1.</summary>
public sealed class OdeTransport(IOdeSolver solver) : ITransport
{
    public string Name => solver.Name;

    public int Transport(IVelocityField field, Span<float> points, long firstIndex, StepObserver? observer, CancellationToken cancellationToken) =>
        solver.Solve(field, points, 0, 1, observer, cancellationToken);
}

/// <summary>The generative SDE, its noise keyed by sample index.</summary>
public sealed class SdeTransport(SdeSolver solver) : ITransport
{
    public string Name => solver.Name;

    public int Transport(IVelocityField field, Span<float> points, long firstIndex, StepObserver? observer, CancellationToken cancellationToken) =>
        solver.Solve(field, points, firstIndex, observer, cancellationToken);
}

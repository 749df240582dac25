using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Integrators;

/// <summary>Called after each completed step with the step's index (1-based), its end time and the points there.</summary>
public delegate void StepObserver(int step, double t, ReadOnlySpan<float> points);

/// <summary>A solver of the probability-flow ODE dX/dt = b_t(X).</summary>
public interface IOdeSolver
{
    string Name { get; }

    /// <summary>Integrates the points in place from <paramref name="from"/> to <paramref name="to"/> (either direction) and returns the number of field evaluations.</summary>
    int Solve(IVelocityField field, Span<float> points, double from, double to, StepObserver? observer = null, CancellationToken cancellationToken = default);
}

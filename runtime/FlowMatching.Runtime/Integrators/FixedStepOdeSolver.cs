using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Integrators;

/// <summary>
/// Integrates with a step rule on the uniform grid t_k = from + k (to - from) / steps, k = 0..steps, or on a
/// given grid of fractions 0 = g_0 &lt; ... &lt; g_K = 1 of the interval (t_k = from + g_k (to - from)).
/// </summary>
public sealed class FixedStepOdeSolver : IOdeSolver
{
    private readonly IStepRule _rule;
    private readonly int _steps;
    private readonly IReadOnlyList<double>? _grid;

    public FixedStepOdeSolver(IStepRule rule, int steps)
    {
        _rule = rule;
        _steps = steps;
    }

    public FixedStepOdeSolver(IStepRule rule, IReadOnlyList<double> grid)
        : this(rule, grid.Count - 1)
    {
        _grid = grid;
    }

    public int Solve(IVelocityField field, Span<float> points, double from, double to, StepObserver? observer = null, CancellationToken cancellationToken = default)
    {
        var workspace = new StepWorkspace(points.Length);
        double h = (to - from) / _steps;
        double Time(int k) => _grid is null ? from + k * h : from + _grid[k] * (to - from);
        for (int k = 0; k < _steps; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double t = Time(k), next = Time(k + 1);
            // The uniform grid keeps h itself: next - t differs from it in the last bits.
            _rule.Advance(field, t, _grid is null ? h : next - t, points, workspace);
            observer?.Invoke(k + 1, next, points);
        }

        return _steps * _rule.Evaluations;
    }
}

using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Integrators;

/// <summary>Integrates with a step rule on the uniform grid t_k = from + k (to - from) / steps, k = 0..steps.</summary>
public sealed class FixedStepOdeSolver(IStepRule rule, int steps) : IOdeSolver
{
    public string Name => rule.Name;

    public int Solve(IVelocityField field, Span<float> points, double from, double to, StepObserver? observer = null, CancellationToken cancellationToken = default)
    {
        var workspace = new StepWorkspace(points.Length);
        double h = (to - from) / steps;
        for (int k = 0; k < steps; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double t = from + k * h;
            rule.Advance(field, t, h, points, workspace);
            observer?.Invoke(k + 1, from + (k + 1) * h, points);
        }

        return steps * rule.Evaluations;
    }
}

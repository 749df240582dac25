using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Integrators;

/// <summary>One step x(t) -> x(t + dt) of an SDE scheme, given the step's standard normal draws xi.</summary>
public interface ISdeStepRule
{
    string Name { get; }

    int Evaluations { get; }

    void Advance(IVelocityField field, SdeCoefficients sde, double t, double dt, Span<float> x, ReadOnlySpan<float> xi, StepWorkspace workspace);
}

using FlowMatching.Runtime.Models;
using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Sampling;

/// <summary>A class-conditional field seen as a plain one for one chunk: row i always takes class <c>classes[i]</c>.</summary>
public sealed class ClassBoundField(IClassConditionalField inner, long[] classes) : IVelocityField
{
    public int Dimension => inner.Dimension;

    public void Evaluate(double t, ReadOnlySpan<float> points, Span<float> velocity) => inner.Evaluate(t, points, classes, velocity);
}

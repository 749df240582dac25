namespace FlowMatching.Runtime.Models;

/// <summary>
/// A flow map at one step size h, as the field Euler's method steps with: Euler's x + h b_t(x) on this field is the
/// flow map's step x + h u(x, t, h), so guidance, classes, chunking and seeds apply to it as to a velocity field.
/// </summary>
public sealed class StepBoundField(IFlowMapField map, double h) : IClassConditionalField
{
    public int Dimension => map.Dimension;

    public int Classes => map.Classes;

    public void Evaluate(double t, ReadOnlySpan<float> points, Span<float> velocity) => map.Evaluate(t, h, points, [], velocity);

    public void Evaluate(double t, ReadOnlySpan<float> points, ReadOnlySpan<long> classes, Span<float> velocity) => map.Evaluate(t, h, points, classes, velocity);
}

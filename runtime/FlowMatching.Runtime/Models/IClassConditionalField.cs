using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Models;

/// <summary>A velocity field b_t(x, y) that also takes each row's class; the null class gives the unconditional field.</summary>
public interface IClassConditionalField : IVelocityField
{
    /// <summary>The number of classes; the null class's id.</summary>
    int Classes { get; }

    void Evaluate(double t, ReadOnlySpan<float> points, ReadOnlySpan<long> classes, Span<float> velocity);
}

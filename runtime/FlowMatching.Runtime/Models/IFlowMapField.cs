namespace FlowMatching.Runtime.Models;

/// <summary>
/// A flow map's network u(x, t, h[, y]): the average velocity of the flow over [t, t + h] from each point, so that
/// x + h u is where the flow takes x by t + h. The null class K (or no classes) gives the unconditional map.
/// </summary>
public interface IFlowMapField
{
    int Dimension { get; }

    /// <summary>The number of classes; the null class's id; 0 for an unconditional map.</summary>
    int Classes { get; }

    void Evaluate(double t, double h, ReadOnlySpan<float> points, ReadOnlySpan<long> classes, Span<float> average);
}

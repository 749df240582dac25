using FlowMatching.Io;
using FlowMatching.Randomness;

namespace FlowMatching.Distributions;

/// <summary>The user's data: rows drawn uniformly with replacement.</summary>
public sealed class EmpiricalDistribution(string name, PointSet points) : IDistribution
{
    public string Name { get; } = name;

    public int Dimension => points.Dimension;

    public PointSet Points => points;

    public void Sample(RandomStream random, Span<float> destination)
    {
        for (int offset = 0; offset < destination.Length; offset += Dimension)
        {
            points.Point(random.NextInt(points.Count)).CopyTo(destination.Slice(offset, Dimension));
        }
    }
}

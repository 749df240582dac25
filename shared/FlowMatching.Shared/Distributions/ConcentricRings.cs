using FlowMatching.Randomness;

namespace FlowMatching.Distributions;

/// <summary>Three concentric circles of radius 2, 4 and 6, each holding a third of the mass, with radial noise of std 0.15.</summary>
public sealed class ConcentricRings : IDistribution
{
    public string Name => "rings";

    public int Dimension => 2;

    public void Sample(RandomStream random, Span<float> destination)
    {
        for (int offset = 0; offset < destination.Length; offset += 2)
        {
            double radius = 2 * (1 + random.NextInt(3)) + 0.15 * random.NextGaussian();
            double angle = 2 * Math.PI * random.NextUniform();
            destination[offset] = (float)(radius * Math.Cos(angle));
            destination[offset + 1] = (float)(radius * Math.Sin(angle));
        }
    }
}

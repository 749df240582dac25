using FlowMatching.Randomness;

namespace FlowMatching.Distributions;

/// <summary>Two interleaving half circles (scikit-learn's make_moons, noise 0.1), centred and scaled by 3 to fill [-8, 8]^2.</summary>
public sealed class TwoMoons : IDistribution
{
    public string Name => "moons";

    public int Dimension => 2;

    public void Sample(RandomStream random, Span<float> destination)
    {
        for (int offset = 0; offset < destination.Length; offset += 2)
        {
            double angle = Math.PI * random.NextUniform();
            bool upper = random.NextInt(2) == 0;
            double x = upper ? Math.Cos(angle) : 1 - Math.Cos(angle);
            double y = upper ? Math.Sin(angle) : 0.5 - Math.Sin(angle);
            destination[offset] = (float)(3 * (x - 0.5 + 0.1 * random.NextGaussian()));
            destination[offset + 1] = (float)(3 * (y - 0.25 + 0.1 * random.NextGaussian()));
        }
    }
}

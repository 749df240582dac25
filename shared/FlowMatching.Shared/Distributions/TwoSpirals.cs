using FlowMatching.Randomness;

namespace FlowMatching.Distributions;

/// <summary>Two interleaved spiral arms, each 1.5 turns long, with Gaussian noise of std 0.15; radius up to about 5.7.</summary>
public sealed class TwoSpirals : IDistribution
{
    public string Name => "spirals";

    public int Dimension => 2;

    public void Sample(RandomStream random, Span<float> destination)
    {
        for (int offset = 0; offset < destination.Length; offset += 2)
        {
            // sqrt spreads points evenly along the arm, whose length grows with the angle.
            double angle = Math.Sqrt(random.NextUniform()) * 3 * Math.PI;
            double arm = random.NextInt(2) == 0 ? 1 : -1;
            destination[offset] = (float)(0.6 * (-arm * angle * Math.Cos(angle)) + 0.15 * random.NextGaussian());
            destination[offset + 1] = (float)(0.6 * (arm * angle * Math.Sin(angle)) + 0.15 * random.NextGaussian());
        }
    }
}

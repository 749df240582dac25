using FlowMatching.Randomness;

namespace FlowMatching.Distributions;

/// <summary>The base distribution rho_0 = N(0, I_d).</summary>
public sealed class StandardNormal(int dimension) : IDensity
{
    public string Name => "normal";

    public int Dimension { get; } = dimension;

    public void Sample(RandomStream random, Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)random.NextGaussian();
        }
    }

    /// <summary>Sample <paramref name="index"/>'s coordinates depend only on (seed, index), never on batching.</summary>
    public void SampleIndexed(ulong seed, long index, Span<float> point)
    {
        ulong key = CounterRandom.Key(seed, Streams.ForSample(Streams.BaseSamples, index));
        for (int j = 0; j < point.Length; j++)
        {
            point[j] = (float)CounterRandom.Gaussian(key, (ulong)j);
        }
    }

    public double LogDensity(ReadOnlySpan<float> point)
    {
        double squared = 0;
        foreach (float v in point)
        {
            squared += (double)v * v;
        }

        return -0.5 * squared - 0.5 * point.Length * Math.Log(2 * Math.PI);
    }
}

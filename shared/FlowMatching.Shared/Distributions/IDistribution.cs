using FlowMatching.Randomness;

namespace FlowMatching.Distributions;

/// <summary>A distribution on R^d that can be sampled; samples are stored row-major, d floats a point.</summary>
public interface IDistribution
{
    /// <summary>The name stored in model metadata and given on the command line.</summary>
    string Name { get; }

    int Dimension { get; }

    /// <summary>Fills <paramref name="destination"/> (a multiple of <see cref="Dimension"/> long) with independent samples.</summary>
    void Sample(RandomStream random, Span<float> destination);
}

/// <summary>A distribution whose log-density is known in closed form.</summary>
public interface IDensity : IDistribution
{
    double LogDensity(ReadOnlySpan<float> point);
}

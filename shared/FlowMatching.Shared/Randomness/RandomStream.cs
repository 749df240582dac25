namespace FlowMatching.Randomness;

/// <summary>A sequential view of one counter-based stream, for code that draws one value after another.</summary>
public sealed class RandomStream(ulong seed, ulong stream)
{
    private readonly ulong _key = CounterRandom.Key(seed, stream);

    public ulong Position { get; set; }

    public double NextUniform() => CounterRandom.Uniform(_key, Position++);

    public double NextGaussian() => CounterRandom.Gaussian(_key, Position++);

    public int NextInt(int exclusiveMax) => Math.Min((int)(NextUniform() * exclusiveMax), exclusiveMax - 1);
}

namespace FlowMatching.Randomness;

/// <summary>
/// Counter-based random numbers: every draw is a pure function of (seed, stream, counter), so a
/// sample's noise does not depend on how work is chunked, split across processes, or threaded.
/// </summary>
public static class CounterRandom
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    public static ulong Key(ulong seed, ulong stream) => Mix(Mix(seed + Golden) ^ (stream * 0xD6E8FEB86659FD93UL + 1));

    /// <summary>Uniform in the open interval (0, 1), never exactly 0 so logarithms stay finite.</summary>
    public static double Uniform(ulong key, ulong counter) => ((Mix(key ^ (counter * Golden + 0x632BE59BD9B4E019UL)) >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>Standard normal by Box-Muller on the uniforms at counters 2c and 2c+1.</summary>
    public static double Gaussian(ulong key, ulong counter)
    {
        double u1 = Uniform(key, 2 * counter);
        double u2 = Uniform(key, 2 * counter + 1);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    // SplitMix64's finaliser: a bijective avalanche mix of 64 bits.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

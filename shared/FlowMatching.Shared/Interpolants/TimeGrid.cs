using System.Globalization;

namespace FlowMatching.Interpolants;

/// <summary>The times of a fixed-step sampler's steps, t_0 = 0 &lt; t_1 &lt; ... &lt; t_K = 1: the rule and the words for it.</summary>
public static class TimeGrid
{
    /// <summary>True when <paramref name="times"/> has at least two times and rises strictly from 0 to 1.</summary>
    public static bool RisesFromZeroToOne(IReadOnlyList<double> times) =>
        times.Count >= 2 && times[0] == 0 && times[^1] == 1 && times.Zip(times.Skip(1)).All(p => p.Second > p.First);

    /// <summary>The times as a user reads them: three significant digits each.</summary>
    public static string Describe(IReadOnlyList<double> times) => string.Join(", ", times.Select(t => t.ToString("G3", CultureInfo.InvariantCulture)));
}

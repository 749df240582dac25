using FlowMatching.Distributions;
using FlowMatching.Io;

namespace FlowMatching.Metrics;

/// <summary>The fraction of samples on the checkerboard's filled squares.</summary>
public static class CheckerboardCoverage
{
    public static double InsideFraction(PointSet samples)
    {
        long inside = 0;
        for (int i = 0; i < samples.Count; i++)
        {
            ReadOnlySpan<float> p = samples.Point(i);
            if (Checkerboard.IsInside(p[0], p[1]))
            {
                inside++;
            }
        }

        return (double)inside / samples.Count;
    }
}

using FlowMatching.Errors;

namespace FlowMatching.Runtime.Sampling;

/// <summary>
/// A few-step time grid placed where an accurate adaptive solve of the model's own ODE took its steps:
/// dopri5 sizes each step from its local error estimate, so its steps crowd where the field changes fastest.
/// The K-step grid splits the pilot's steps into K equal shares (the cumulative count of pilot steps,
/// linear within each, inverted at k m / K).
/// </summary>
public static class AdaptedTimeGrid
{
    /// <summary>Noise points of the pilot solve: enough for its RMS error estimate to be the batch's, not a point's.</summary>
    public const int PilotPoints = 256;

    /// <summary>The pilot's tolerance: tight enough that its steps follow the field, not the round-off.</summary>
    public const double PilotTolerance = 1e-4;

    /// <param name="pilotTimes">The pilot's accepted times, rising from 0 to 1.</param>
    /// <param name="steps">K, the steps of the grid.</param>
    public static double[] FromPilot(IReadOnlyList<double> pilotTimes, int steps)
    {
        if (steps < 1)
        {
            throw new InvalidSettingException("Steps", $"must be at least 1, not {steps}");
        }

        int m = pilotTimes.Count - 1;
        if (m < 1 || pilotTimes[0] != 0 || pilotTimes[m] != 1)
        {
            throw new ArgumentException("the pilot's times must run from 0 to 1", nameof(pilotTimes));
        }

        var grid = new double[steps + 1];
        for (int k = 1; k < steps; k++)
        {
            double u = (double)k * m / steps;
            int j = Math.Min((int)u, m - 1);
            grid[k] = pilotTimes[j] + (u - j) * (pilotTimes[j + 1] - pilotTimes[j]);
        }

        grid[steps] = 1;
        return grid;
    }
}

using FlowMatching.Errors;
using FlowMatching.Io;

namespace FlowMatching.Distributions;

/// <summary>
/// Per-column standardisation z = (x - mean) / std. Models of CSV data are trained on z; the runtime maps
/// samples back with x = mean + std z, and a density in x is the density in z minus sum(log std).
/// </summary>
public sealed record Standardization(IReadOnlyList<double> Mean, IReadOnlyList<double> Std)
{
    public static Standardization Fit(PointSet points, string source)
    {
        int d = points.Dimension;
        var mean = new double[d];
        var std = new double[d];
        for (int i = 0; i < points.Count; i++)
        {
            for (int j = 0; j < d; j++)
            {
                mean[j] += points.Values[i * d + j] / (double)points.Count;
            }
        }

        for (int i = 0; i < points.Count; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double r = points.Values[i * d + j] - mean[j];
                std[j] += r * r / points.Count;
            }
        }

        for (int j = 0; j < d; j++)
        {
            std[j] = Math.Sqrt(std[j]);
            if (!(std[j] > 1e-12 * Math.Max(1, Math.Abs(mean[j]))))
            {
                throw new DataFormatException(source, $"column x{j} is constant, so it cannot be standardised or learned");
            }
        }

        return new Standardization(mean, std);
    }

    public PointSet Apply(PointSet points) => Map(points, (v, j) => (v - Mean[j]) / Std[j]);

    public void Invert(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            int j = i % Mean.Count;
            values[i] = (float)(Mean[j] + Std[j] * values[i]);
        }
    }

    /// <summary>log |det dz/dx| = -sum(log std): add it to a log-density in z to get one in x.</summary>
    public double LogDeterminant => -Std.Sum(Math.Log);

    private PointSet Map(PointSet points, Func<double, int, double> map)
    {
        var values = new float[points.Values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)map(points.Values[i], i % points.Dimension);
        }

        return new PointSet(values, points.Dimension);
    }
}

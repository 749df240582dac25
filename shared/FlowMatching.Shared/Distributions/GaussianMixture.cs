using FlowMatching.Randomness;

namespace FlowMatching.Distributions;

/// <summary>One isotropic component N(mean, std^2 I) of a mixture, with its weight.</summary>
public sealed record MixtureComponent(double Weight, double[] Mean, double Std);

/// <summary>A mixture of isotropic Gaussians; its density and (with a Gaussian base) its interpolant's velocity are exact.</summary>
public sealed class GaussianMixture : IDensity
{
    public GaussianMixture(string name, IReadOnlyList<MixtureComponent> components)
    {
        Name = name;
        Components = components;
        Dimension = components[0].Mean.Length;
        double total = components.Sum(c => c.Weight);
        LogWeights = components.Select(c => Math.Log(c.Weight / total)).ToArray();
        _cumulative = new double[components.Count];
        double running = 0;
        for (int k = 0; k < components.Count; k++)
        {
            running += components[k].Weight / total;
            _cumulative[k] = running;
        }
    }

    private readonly double[] _cumulative;

    /// <summary>log of each component's normalised weight.</summary>
    public IReadOnlyList<double> LogWeights { get; }

    public string Name { get; }

    public int Dimension { get; }

    public IReadOnlyList<MixtureComponent> Components { get; }

    /// <summary>The tutorial's target: 8 equal modes of std 0.7 at 5 (sin(i pi/4), cos(i pi/4)).</summary>
    public static GaussianMixture Ring8() => new("gmm8", Enumerable.Range(0, 8)
        .Select(i => new MixtureComponent(1.0, [5.0 * Math.Sin(i * Math.PI / 4), 5.0 * Math.Cos(i * Math.PI / 4)], 0.7))
        .ToArray());

    public void Sample(RandomStream random, Span<float> destination)
    {
        for (int offset = 0; offset < destination.Length; offset += Dimension)
        {
            MixtureComponent c = Components[PickComponent(random.NextUniform())];
            for (int j = 0; j < Dimension; j++)
            {
                destination[offset + j] = (float)(c.Mean[j] + c.Std * random.NextGaussian());
            }
        }
    }

    public double LogDensity(ReadOnlySpan<float> point)
    {
        Span<double> logTerms = stackalloc double[Components.Count];
        for (int k = 0; k < Components.Count; k++)
        {
            logTerms[k] = LogWeights[k] + ComponentLogDensity(Components[k], point);
        }

        return LogSumExp(logTerms);
    }

    /// <summary>Index of the component whose mean is nearest the point.</summary>
    public int NearestComponent(ReadOnlySpan<float> point)
    {
        int best = 0;
        double bestDistance = double.PositiveInfinity;
        for (int k = 0; k < Components.Count; k++)
        {
            double d2 = SquaredDistance(Components[k].Mean, point);
            if (d2 < bestDistance)
            {
                bestDistance = d2;
                best = k;
            }
        }

        return best;
    }

    public static double SquaredDistance(double[] mean, ReadOnlySpan<float> point)
    {
        double sum = 0;
        for (int j = 0; j < mean.Length; j++)
        {
            double diff = point[j] - mean[j];
            sum += diff * diff;
        }

        return sum;
    }

    public static double LogSumExp(ReadOnlySpan<double> values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values)
        {
            max = Math.Max(max, v);
        }

        double sum = 0;
        foreach (double v in values)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum);
    }

    private static double ComponentLogDensity(MixtureComponent c, ReadOnlySpan<float> point) =>
        -0.5 * SquaredDistance(c.Mean, point) / (c.Std * c.Std) - c.Mean.Length * (Math.Log(c.Std) + 0.5 * Math.Log(2 * Math.PI));

    private int PickComponent(double u)
    {
        int k = Array.FindIndex(_cumulative, c => u < c);
        return k < 0 ? _cumulative.Length - 1 : k;
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;
using FlowMatching.Randomness;

namespace FlowMatching.Training;

/// <summary>
/// How training draws t. "uniform" is the tutorial's U(0, 1). "logit-normal:M,S" draws t = sigmoid(M + S z),
/// z ~ N(0, 1) (Esser et al. 2024): more of the batch falls in the middle of the path, where the image a noise
/// sample becomes is decided, and less near the ends, where the velocity is nearly the noise or the data. For a
/// network that can fit every t, the loss's minimiser is the same field whatever the density of t.
/// </summary>
[JsonConverter(typeof(NamedChoiceConverter<TimeSampling>))]
public sealed record TimeSampling(TimeDensity Density, double Location, double Scale) : INamedChoice<TimeSampling>
{
    public static TimeSampling Uniform { get; } = new(TimeDensity.Uniform, 0, 0);

    public double Draw(RandomStream stream) => Density == TimeDensity.LogitNormal
        ? 1 / (1 + Math.Exp(-(Location + (Scale * stream.NextGaussian()))))
        : stream.NextUniform();

    public override string ToString() => Density == TimeDensity.LogitNormal
        ? string.Create(CultureInfo.InvariantCulture, $"logit-normal:{Location},{Scale}")
        : "uniform";

    public static string Expected => "uniform or logit-normal:M,S with |M| <= 10 and 0 < S <= 10";

    public static TimeSampling Parse(string text) => NamedChoice.Parse<TimeSampling>(text);

    public static bool TryParse(string text, [NotNullWhen(true)] out TimeSampling? value)
    {
        const string prefix = "logit-normal:";
        string[] parts = text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..].Split(',') : [];
        value = text == "uniform" ? Uniform
            : parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double location)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double scale)
            && Math.Abs(location) <= 10 && scale is > 0 and <= 10
                ? new TimeSampling(TimeDensity.LogitNormal, location, scale)
                : null;
        return value is not null;
    }
}

/// <summary>The density training draws t from.</summary>
public enum TimeDensity
{
    /// <summary>U(0, 1), the tutorial's.</summary>
    Uniform,
    /// <summary>sigmoid(M + S z), z ~ N(0, 1).</summary>
    LogitNormal,
}

using System.Globalization;

namespace FlowMatching.Contract;

/// <summary>
/// The times t (0 noise, 1 data) at which classifier-free guidance applies; outside them a conditional sample
/// follows its class's field alone (guidance 1). Guiding near the noise end narrows each class to its typical
/// images and near the data end changes little, so a middle interval keeps the class with more of its variety
/// (Kynkäänniemi et al. 2024).
/// </summary>
public sealed record GuidanceInterval(double From, double To)
{
    /// <summary>What a valid interval looks like, for messages about one that is not.</summary>
    public const string Expected = "FROM,TO with 0 <= FROM < TO <= 1";

    public static GuidanceInterval Whole { get; } = new(0, 1);

    public bool IsValid => From >= 0 && From < To && To <= 1;

    public bool Contains(double t) => t >= From && t <= To;

    /// <summary>Reads "FROM,TO" as written by <see cref="ToString"/>; false when malformed or not 0 &lt;= FROM &lt; TO &lt;= 1.</summary>
    public static bool TryParse(string text, out GuidanceInterval interval)
    {
        interval = Whole;
        string[] parts = text.Split(',');
        if (parts.Length != 2
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double from)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double to))
        {
            return false;
        }

        interval = new GuidanceInterval(from, to);
        return interval.IsValid;
    }

    /// <summary>The interval as a user reads it: "t in [FROM, TO]".</summary>
    public string Describe() => $"t in [{From}, {To}]";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{From:R},{To:R}");
}

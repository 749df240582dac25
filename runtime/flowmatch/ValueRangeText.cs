using System.Globalization;

namespace FlowMatching.Runtime.Cli;

/// <summary>LOW,HIGH as the command line writes a pixel range (--range, --data-range).</summary>
public static class ValueRangeText
{
    public const string Expected = "LOW,HIGH with LOW < HIGH";

    public static bool TryParse(string text, out (double Low, double High) range)
    {
        string[] parts = text.Split(',');
        bool ok = parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double low)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double high)
            && double.IsFinite(low) && double.IsFinite(high) && low < high;
        range = ok ? (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture)) : default;
        return ok;
    }

    public static bool TryParseNullable(string text, out (double Low, double High)? range)
    {
        bool ok = TryParse(text, out (double Low, double High) read);
        range = ok ? read : null;
        return ok;
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;
using FlowMatching.Training.Training;

namespace FlowMatching.Training.Network;

/// <summary>
/// How t enters the velocity network: "none" feeds t itself; "fourier:K" feeds sin(w_k t) and cos(w_k t)
/// for w_k = pi 2^k, k = 0..K-1, which lets a small MLP resolve fast changes in t (near t = 1 in particular).
/// </summary>
[JsonConverter(typeof(NamedChoiceConverter<TimeEmbedding>))]
public sealed record TimeEmbedding(int Frequencies) : INamedChoice<TimeEmbedding>
{
    public static TimeEmbedding None { get; } = new(0);

    public int Width => Frequencies == 0 ? 1 : 2 * Frequencies;

    public float[] AngularFrequencies => Enumerable.Range(0, Frequencies).Select(k => (float)(Math.PI * Math.Pow(2, k))).ToArray();

    public override string ToString() => Frequencies == 0 ? "none" : $"fourier:{Frequencies}";

    public static string Expected => "none or fourier:K with K from 1 to 64";

    public static TimeEmbedding Parse(string text) => NamedChoice.Parse<TimeEmbedding>(text);

    public static bool TryParse(string text, [NotNullWhen(true)] out TimeEmbedding? value)
    {
        value = text == "none" ? None
            : text.StartsWith("fourier:", StringComparison.Ordinal) && int.TryParse(text["fourier:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k is > 0 and <= 64
                ? new TimeEmbedding(k)
                : null;
        return value is not null;
    }
}

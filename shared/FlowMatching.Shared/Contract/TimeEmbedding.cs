using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace FlowMatching.Contract;

/// <summary>How t enters a velocity network.</summary>
public enum TimeEmbeddingKind
{
    /// <summary>t itself.</summary>
    None,
    /// <summary>sin(w_k t) and cos(w_k t) for w_k = pi 2^k, k = 0..K-1 (the MLP's option).</summary>
    Fourier,
    /// <summary>The U-Net's sinusoidal features of t, fixed by its width.</summary>
    Sinusoidal,
}

/// <summary>
/// How t enters the velocity network: "none" feeds t itself; "fourier:K" feeds sin(w_k t) and cos(w_k t) for
/// w_k = pi 2^k, k = 0..K-1, which lets a small MLP resolve fast changes in t (near t = 1 in particular);
/// "sinusoidal" is the U-Net's own embedding.
/// </summary>
public sealed record TimeEmbedding(TimeEmbeddingKind Kind, int Frequencies = 0) : INamedChoice<TimeEmbedding>
{
    public static TimeEmbedding None { get; } = new(TimeEmbeddingKind.None);

    public static TimeEmbedding Sinusoidal { get; } = new(TimeEmbeddingKind.Sinusoidal);

    public static TimeEmbedding Fourier(int frequencies) => new(TimeEmbeddingKind.Fourier, frequencies);

    /// <summary>The MLP's time features: t itself, or the sines and cosines.</summary>
    public int Width => Kind == TimeEmbeddingKind.Fourier ? 2 * Frequencies : 1;

    public float[] AngularFrequencies => Enumerable.Range(0, Kind == TimeEmbeddingKind.Fourier ? Frequencies : 0).Select(k => (float)(Math.PI * Math.Pow(2, k))).ToArray();

    public override string ToString() => Kind switch
    {
        TimeEmbeddingKind.Fourier => $"fourier:{Frequencies.ToString(CultureInfo.InvariantCulture)}",
        TimeEmbeddingKind.Sinusoidal => "sinusoidal",
        _ => "none",
    };

    public static string Expected => "none, sinusoidal or fourier:K with K from 1 to 64";

    public static TimeEmbedding Parse(string text) => NamedChoice.Parse<TimeEmbedding>(text);

    public static bool TryParse(string text, [NotNullWhen(true)] out TimeEmbedding? value)
    {
        value = text == "none" ? None
            : text == "sinusoidal" ? Sinusoidal
            : text.StartsWith("fourier:", StringComparison.Ordinal) && int.TryParse(text["fourier:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k is > 0 and <= 64
                ? Fourier(k)
                : null;
        return value is not null;
    }
}

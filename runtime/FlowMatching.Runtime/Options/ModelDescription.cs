using System.Globalization;
using FlowMatching.Contract;
using FlowMatching.Errors;
using FlowMatching.Interpolants;
using FlowMatching.Runtime.Models;

namespace FlowMatching.Runtime.Options;

/// <summary>
/// What a model file without this project's metadata (one from torch.onnx.export, say) cannot say about itself:
/// its classes (ids 0..K-1, the null class K unless <see cref="NullClass"/> says otherwise), their names, and the
/// pixel range of an image model (-1..1 unless stated). The interpolant is <see cref="ModelLoadOptions.Interpolant"/>.
/// </summary>
public sealed record ModelDescription
{
    public const int MaxClasses = 100_000;

    /// <summary>The classes K of a model that takes y; 0 for one that does not.</summary>
    public int Classes { get; init; }

    /// <summary>The id the network takes for the null class, when not K; it must lie outside 0..K-1.</summary>
    public int? NullClass { get; init; }

    /// <summary>The classes' names in id order (default: the ids).</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>An image model's lowest and highest pixel value (default -1, 1).</summary>
    public (double Low, double High)? ValueRange { get; init; }

    public void Validate()
    {
        if (Classes is < 0 or > MaxClasses)
        {
            throw new InvalidSettingException(nameof(Classes), $"must be from 0 to {MaxClasses}, not {Classes}");
        }

        if (NullClass is { } id && (Classes == 0 || id < Classes))
        {
            throw new InvalidSettingException(nameof(NullClass), Classes == 0
                ? "applies only with classes"
                : $"{id} is one of the classes 0..{Classes - 1}; the null class is an id outside them");
        }

        if (ClassNames is { } names && (names.Count != Classes || names.Any(string.IsNullOrWhiteSpace) || names.Distinct().Count() != names.Count))
        {
            throw new InvalidSettingException(nameof(ClassNames), $"must be {Classes} distinct, non-empty names (one per class), not {names.Count}");
        }

        if (ValueRange is { } range && !(double.IsFinite(range.Low) && double.IsFinite(range.High) && range.Low < range.High))
        {
            throw new InvalidSettingException(nameof(ValueRange), $"must be LOW,HIGH with LOW < HIGH, not {range.Low},{range.High}");
        }
    }

    /// <summary>The contract these facts make for a model of this signature; what is unknown (training) is left empty.</summary>
    internal ModelContract ToContract(string path, OnnxSignature signature, InterpolantKind? interpolant, string producer)
    {
        Validate();
        bool image = signature.SampleShape.Count == 3;
        if ((Classes > 0) != (signature.ClassInput is not null))
        {
            throw new InvalidSettingException(nameof(Classes), Classes > 0
                ? $"{path} takes no classes y, so it has no classes to describe"
                : $"{path} takes classes y: say how many (ids 0..K-1; the null class is K unless stated)");
        }

        if (!image && ValueRange is not null)
        {
            throw new InvalidSettingException(nameof(ValueRange), $"applies only to image models; {path} is a point model");
        }

        (double low, double high) = ValueRange ?? (-1, 1);
        return new ModelContract(producer, "", interpolant, signature.Dimension, "normal(0,I)", "unknown", [], "unknown", 0, 0, 0, double.NaN)
        {
            NetworkKind = image ? NetworkKind.UNet : NetworkKind.Mlp,
            Shape = image ? signature.SampleShape : [],
            ValueRange = image ? [low, high] : [],
            ClassNames = ClassNames ?? [.. Enumerable.Range(0, Classes).Select(c => c.ToString(CultureInfo.InvariantCulture))],
            NullClass = NullClass,
        };
    }
}

using FlowMatching.Errors;
using FlowMatching.Io;

namespace FlowMatching.Distributions;

/// <summary>The target distributions, as given to --target and stored in model metadata.</summary>
public static class TargetCatalog
{
    public const string CsvPrefix = "csv:";

    /// <summary>The point targets: the toys and the user's CSV.</summary>
    public static IReadOnlyList<string> Names { get; } = ["gmm8", "checkerboard", "moons", "spirals", "rings", "csv:PATH"];

    /// <summary>Every target --target takes, images included, as help and errors list them.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Names, .. ImageTargets.Names];

    /// <summary>A named toy target, or csv:PATH: the user's points (any dimension), read and validated row by row.</summary>
    public static IDistribution Parse(string name) => name switch
    {
        "gmm8" => GaussianMixture.Ring8(),
        "checkerboard" => new Checkerboard(),
        "moons" => new TwoMoons(),
        "spirals" => new TwoSpirals(),
        "rings" => new ConcentricRings(),
        _ when name.StartsWith(CsvPrefix, StringComparison.Ordinal) && name.Length > CsvPrefix.Length =>
            new EmpiricalDistribution(name, PointCsv.Read(name[CsvPrefix.Length..])),
        _ => throw new InvalidSettingException("Target", $"unknown target '{name}' (known: {string.Join(", ", All)})"),
    };
}

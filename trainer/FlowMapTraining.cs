using FlowMatching.Contract;

namespace FlowMatching.Training;

/// <summary>
/// How a flow map is fitted: <see cref="Share"/> of each batch learns steps of size 1, 1/2, ..., 1/<see cref="FinestSteps"/>
/// by self-consistency, the rest the velocity at h = 0, whose target is the interpolant's dI/dt or, when
/// <see cref="Teacher"/> is set, that velocity model's field (guided at <see cref="Guidance"/> within
/// <see cref="Interval"/> for rows with a class, so the map samples guided in one evaluation a step).
/// </summary>
public sealed record FlowMapTraining
{
    public const double DefaultShare = 0.25;
    public const int DefaultFinestSteps = 128;

    /// <summary>The steps a trained map recommends until `flowmatch-trainer recommend` stores measured ones.</summary>
    public const int DefaultRecommendedSteps = 2;

    public double Share { get; init; } = DefaultShare;

    /// <summary>The most steps the map is trained to sample in (a power of two): its smallest step is 1 / this.</summary>
    public int FinestSteps { get; init; } = DefaultFinestSteps;

    /// <summary>The velocity model whose field the map distils; null: the interpolant's dI/dt.</summary>
    public string? Teacher { get; init; }

    /// <summary>The teacher's guidance scale; null: its recommendation's, else 1.</summary>
    public double? Guidance { get; init; }

    /// <summary>The times the guidance applies at; null: its recommendation's, else every t.</summary>
    public GuidanceInterval? Interval { get; init; }

    /// <summary>What the contract's teacher key says of a distilled map (file, guidance, interval); null without a teacher.</summary>
    public string? Describe() => Teacher is null ? null
        : $"{System.IO.Path.GetFileName(Teacher)} guidance:{Guidance?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "recommended"}{(Interval is { } i ? $" interval:{i}" : "")}";

    /// <summary>The step sizes learned by self-consistency, largest first: 1, 1/2, ..., 1 / <see cref="FinestSteps"/>.</summary>
    public int Levels => 1 + (int)Math.Round(Math.Log2(FinestSteps));
}

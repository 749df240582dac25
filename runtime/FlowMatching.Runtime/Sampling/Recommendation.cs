using FlowMatching.Contract;
using FlowMatching.Interpolants;
using FlowMatching.Runtime.Options;

namespace FlowMatching.Runtime.Sampling;

/// <summary>A setting that a model's recommendation can supply.</summary>
public enum RecommendedSetting
{
    /// <summary>The ODE method, its steps and their times.</summary>
    Solver,
    Guidance,
    GuidanceInterval,
    /// <summary>The weak model and its weight, for unconditional samples.</summary>
    Autoguidance,
}

/// <summary>
/// Sampling settings with a model's recommendation filled in: <see cref="Options"/> is what is sampled (it follows
/// no further recommendation), <see cref="Adopted"/> what came from the model, <see cref="AdaptedGrid"/> the time
/// grid computed for <see cref="TimeGridKind.Adapted"/>, if one was.
/// </summary>
public sealed record ResolvedSampling(SamplingOptions Options, IReadOnlyList<RecommendedSetting> Adopted)
{
    public double[]? AdaptedGrid { get; init; }
}

/// <summary>
/// What a caller asked for, completed by a model's recommendation: each setting left null takes the recommended
/// value, each on its own. The ODE method brings its steps (and their times) unless steps or a kind of grid were
/// asked for; guidance and its interval apply to samples of a class; autoguidance to unconditional samples (no
/// classes, or the null class), its weak model found beside the model's file.
/// </summary>
public static class Recommendation
{
    public static ResolvedSampling Resolve(SamplingOptions requested, RecommendedSampling? recommended, string modelPath)
    {
        if (!requested.UseRecommendation || recommended is null)
        {
            return new ResolvedSampling(requested with { UseRecommendation = false }, []);
        }

        var adopted = new List<RecommendedSetting>();
        SamplingOptions options = requested;
        if (options is OdeSamplingOptions { Solver: { Method: null } solver } ode)
        {
            // The stored times come with the method unless steps, a kind of grid or the times themselves were asked for.
            bool storedGrid = solver is { Steps: null, TimeGrid: null, Grid: null } && recommended.Grid is not null;
            options = ode with
            {
                Solver = solver with
                {
                    Method = recommended.Method,
                    Steps = storedGrid || solver.Grid is not null ? null : solver.Steps ?? recommended.Steps,
                    Grid = storedGrid ? recommended.Grid : solver.Grid,
                },
            };
            adopted.Add(RecommendedSetting.Solver);
        }

        if (options.Conditioning is { } conditioning && conditioning.Classes != ClassSelection.None)
        {
            if (conditioning.Guidance is null)
            {
                conditioning = conditioning with { Guidance = recommended.Guidance };
                adopted.Add(RecommendedSetting.Guidance);
            }

            if (conditioning.Interval is null && recommended.Interval is { } interval)
            {
                conditioning = conditioning with { Interval = interval };
                adopted.Add(RecommendedSetting.GuidanceInterval);
            }

            options = options with { Conditioning = conditioning };
        }

        if (recommended.Autoguidance is { } auto)
        {
            string weak = auto.WeakModelBeside(modelPath);
            bool unconditional = options.Conditioning is null || options.Conditioning.Classes == ClassSelection.None;
            if (options.Autoguidance is null && unconditional)
            {
                options = options with { Autoguidance = new Autoguidance(weak, auto.Weight) };
                adopted.Add(RecommendedSetting.Autoguidance);
            }
            else if (options.Autoguidance is { } given)
            {
                options = options with { Autoguidance = new Autoguidance(given.WeakModel ?? (given.IsActive ? weak : null), given.Weight ?? auto.Weight) };
            }
        }

        return new ResolvedSampling(options with { UseRecommendation = false }, adopted);
    }
}

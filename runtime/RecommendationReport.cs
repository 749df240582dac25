using FlowMatching.Cli;
using FlowMatching.Contract;
using FlowMatching.Interpolants;
using FlowMatching.Runtime.Options;
using FlowMatching.Runtime.Sampling;

namespace FlowMatching.Runtime;

/// <summary>Says on stderr which of a model's recommended settings a run adopted, and the flags that choose others.</summary>
public static class RecommendationReport
{
    public static void Write(FlowModel model, ResolvedSampling resolved)
    {
        SamplingOptions options = resolved.Options;
        foreach (RecommendedSetting setting in resolved.Adopted)
        {
            Console.Error.WriteLine($"runtime: {model.Source} recommends {Describe(setting, options, resolved.AdaptedGrid is not null)}");
        }

        if (resolved.AdaptedGrid is { } grid)
        {
            Console.Error.WriteLine($"runtime: adapted time grid {TimeGrid.Describe(grid)}");
        }
    }

    private static string Describe(RecommendedSetting setting, SamplingOptions options, bool adapted) => setting switch
    {
        RecommendedSetting.Solver when options is OdeSamplingOptions { Solver: var solver } =>
            $"ode {CliChoices.OdeMethods.Name(solver.Method ?? OdeMethod.Euler)} {solver.Steps ?? solver.Grid!.Count - 1} steps{(solver.Grid is null || adapted ? "" : " on an adapted time grid")}; --method, --steps and --time-grid choose others",
        RecommendedSetting.Guidance => $"guidance {options.Conditioning!.Guidance}; --guidance chooses another",
        RecommendedSetting.GuidanceInterval => $"guiding at {options.Conditioning!.Interval!.Describe()}; --guidance-interval chooses others",
        RecommendedSetting.Autoguidance => $"autoguidance {options.Autoguidance!.Weight} by {options.Autoguidance.WeakModel} for unconditional samples; --autoguidance 1 samples without",
        _ => throw new ArgumentOutOfRangeException(nameof(setting)),
    };
}

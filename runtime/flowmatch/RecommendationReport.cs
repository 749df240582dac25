using FlowMatching.Cli;
using FlowMatching.Contract;
using FlowMatching.Interpolants;
using FlowMatching.Runtime.Options;
using FlowMatching.Runtime.Sampling;

namespace FlowMatching.Runtime.Cli;

/// <summary>
/// What a run samples with: the flags given, completed by the model's recommendation, autoguidance that misses a half
/// refused naming its flag, and each adopted setting said on stderr with the flags that choose others.
/// </summary>
public static class RecommendationReport
{
    public static SamplingOptions Resolve(FlowModel model, SamplingOptions request, CancellationToken cancellation)
    {
        ResolvedSampling resolved = model.Resolve(request, cancellation);
        SamplingOptions options = resolved.Options;
        bool recommendedWeak = resolved.Adopted.Contains(RecommendedSetting.Autoguidance);
        switch (options.Autoguidance)
        {
            case { Weight: null, WeakModel: var weak }:
                throw new UserInputException($"--weak-model {weak}: give the weight with --autoguidance ({model.Source} recommends none)");
            case { IsActive: true, WeakModel: null, Weight: var weight }:
                throw new UserInputException($"--autoguidance {weight}: name the weak model with --weak-model ({model.Source} recommends none)");
            case { WeakModel: { } weak } when recommendedWeak && !File.Exists(weak):
                throw new UserInputException($"{model.Source} recommends autoguidance by {weak}, which is missing; --weak-model names another, --autoguidance 1 samples without");
        }

        foreach (RecommendedSetting setting in resolved.Adopted)
        {
            Console.Error.WriteLine($"{RuntimeCommands.Name}: {Path.GetFileName(model.Source)} recommends {Describe(setting, options, resolved.AdaptedGrid is not null)}");
        }

        if (resolved.AdaptedGrid is { } grid)
        {
            Console.Error.WriteLine($"{RuntimeCommands.Name}: adapted time grid {TimeGrid.Describe(grid)}");
        }

        return options;
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

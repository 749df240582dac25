using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Runtime.Options;

namespace FlowMatching.Runtime;

/// <summary>
/// --autoguidance and --weak-model. For unconditional samples (a model without classes, or --class none) a model's
/// recommended autoguidance applies unless either is given; what is given replaces its half of the recommendation.
/// </summary>
public sealed class AutoguidanceOptions
{
    private readonly Option<double> _weight = CliOptions.Option("--autoguidance", "autoguidance w: v = v_weak + w (v_model - v_weak); 1 is the model alone", 1.0);
    private readonly Option<string?> _weakModel = CliOptions.Option<string?>("--weak-model", "the weaker model of the same data that --autoguidance guides away from");

    public IEnumerable<Option> All => [_weight, _weakModel];

    /// <summary>What was asked for: null when neither flag is given (the model's recommendation, if any, decides).</summary>
    public Autoguidance? Read(ParseResult parse)
    {
        string? weak = parse.GetValue(_weakModel);
        bool weightGiven = parse.IsGiven(_weight);
        return weightGiven || weak is not null ? new Autoguidance(weak, weightGiven ? parse.InRange(_weight, 0.0, 100.0) : null) : null;
    }

    /// <summary>Refuses resolved autoguidance that misses its weight, its weak model, or the recommended weak model's file.</summary>
    public void Check(SamplingOptions resolved, FlowModel model)
    {
        switch (resolved.Autoguidance)
        {
            case { Weight: null, WeakModel: var weak }:
                throw new UserInputException($"--weak-model {weak}: give the weight with --autoguidance ({model.Source} recommends none)");
            case { IsActive: true, WeakModel: null, Weight: var weight }:
                throw new UserInputException($"--autoguidance {weight}: name the weak model with --weak-model ({model.Source} recommends none)");
            case { IsActive: true, WeakModel: { } weak } when !File.Exists(weak) && model.Contract?.Recommended?.Autoguidance is { } recommended && recommended.WeakModelBeside(model.Source) == weak:
                throw new UserInputException($"{model.Source} recommends autoguidance by {weak}, which is missing; --weak-model names another, --autoguidance 1 samples without");
        }
    }
}

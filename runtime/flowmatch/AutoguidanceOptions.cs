using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Runtime.Options;

namespace FlowMatching.Runtime.Cli;

/// <summary>
/// --autoguidance and --weak-model. For unconditional samples (a model without classes, or --class none) a model's
/// recommended autoguidance applies unless either is given; what is given replaces its half of the recommendation.
/// </summary>
public sealed class AutoguidanceOptions
{
    private readonly Option<double> _weight = CliOptions.Recommendable("--autoguidance", "autoguidance w for unconditional samples: v = v_weak + w (v_model - v_weak); 1 is the model alone", 1.0);
    private readonly Option<string?> _weakModel = CliOptions.Option<string?>("--weak-model", "the weaker model of the same data that --autoguidance guides away from");

    public IEnumerable<Option> All => [_weight, _weakModel];

    /// <summary>What was asked for: null when neither flag is given (the model's recommendation, if any, decides).</summary>
    public Autoguidance? Read(ParseResult parse)
    {
        string? weak = parse.GetValue(_weakModel);
        bool weightGiven = parse.IsGiven(_weight);
        return weightGiven || weak is not null ? new Autoguidance(weak, weightGiven ? parse.InRange(_weight, 0.0, 100.0) : null) : null;
    }
}

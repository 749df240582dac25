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
    private readonly Option<double> _weight = CommandRunner.Option("--autoguidance", "autoguidance w: v = v_weak + w (v_model - v_weak); 1 is the model alone", 1.0);
    private readonly Option<string?> _weakModel = CommandRunner.Option<string?>("--weak-model", "the weaker model of the same data that --autoguidance guides away from");

    public IEnumerable<Option> All => [_weight, _weakModel];

    /// <summary>The autoguidance to sample with the given classes (null: a model without them), or null for the model's own field.</summary>
    public Autoguidance? Read(ParseResult parse, FlowModel model, Conditioning? conditioning)
    {
        bool unconditional = conditioning is null || conditioning.Classes == ClassSelection.None;
        Autoguidance? recommended = model.RecommendedAutoguidance;
        bool weightGiven = parse.IsGiven(_weight);
        string? weakGiven = parse.GetValue(_weakModel);
        if (!weightGiven && weakGiven is null)
        {
            if (!unconditional || recommended is null)
            {
                return null;
            }

            if (!File.Exists(recommended.WeakModel))
            {
                throw new UserInputException($"{model.Source} recommends autoguidance by {recommended.WeakModel}, which is missing; --weak-model names another, --autoguidance 1 samples without");
            }

            Console.Error.WriteLine($"runtime: {model.Source} recommends autoguidance {recommended.Weight} by {recommended.WeakModel} for unconditional samples; --autoguidance 1 samples without");
            return recommended;
        }

        double weight = weightGiven ? parse.InRange(_weight, 0.0, 100.0)
            : recommended?.Weight ?? throw new UserInputException($"--weak-model {weakGiven}: give the weight with --autoguidance ({model.Source} recommends none)");
        string? weak = weakGiven ?? recommended?.WeakModel;
        if (weak is null)
        {
            return weight == 1 ? null : throw new UserInputException($"--autoguidance {weight}: name the weak model with --weak-model ({model.Source} recommends none)");
        }

        return new Autoguidance(weak, weight);
    }
}

using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Contract;
using FlowMatching.Io;
using FlowMatching.Runtime.Options;

namespace FlowMatching.Runtime.Cli;

/// <summary>
/// The options that choose the class of each image sample and the classifier-free guidance: --class, --guidance
/// and --guidance-interval. What is not given is left to the model's recommendation, each on its own.
/// </summary>
public sealed class GuidanceOptions
{
    private readonly Option<string?> _class = CliOptions.Option<string?>("--class", "image models with classes: a class number, all (equal numbers of each), or none (unconditional, the default)");
    private readonly Option<double> _guidance = CliOptions.Recommendable("--guidance", "classifier-free guidance w: v = v_uncond + w (v_cond - v_uncond)", 1.0);
    private readonly Option<GuidanceInterval> _interval = CliOptions.Parsed("--guidance-interval",
        "FROM,TO: guide only at these times t (0 noise, 1 data), the class's field alone elsewhere", GuidanceInterval.Whole, GuidanceInterval.TryParse,
        GuidanceInterval.Expected, modelRecommends: true);

    private readonly Option<string?> _labels = CliOptions.Option<string?>("--labels", "image models with classes: Y.npy (int64 or int32 [N]), the class of each sample in turn (with --init, of each starting image); instead of --class");

    public IEnumerable<Option> All => [_class, _labels, _guidance, _interval];

    /// <summary>The labels file, when one was given.</summary>
    public string? LabelsPath(ParseResult parse) => parse.GetValue(_labels);

    /// <summary>The conditioning asked for an image model, or null for a model without classes (refusing the options then).</summary>
    public Conditioning? Read(ParseResult parse, FlowModel model, long first)
    {
        if (model.Classes == 0)
        {
            parse.Refuse($"{model.Source} has no classes", [.. All]);
            return null;
        }

        string? choice = parse.GetValue(_class);
        IReadOnlyList<string> names = model.Contract?.ClassNames ?? [];
        ClassSelection classes = choice switch
        {
            _ when LabelsPath(parse) is { } path => Labels(parse, path, model, first),
            null or "none" => ClassSelection.None,
            "all" => ClassSelection.All,
            _ when int.TryParse(choice, out int k) && k >= 0 && k < model.Classes => ClassSelection.Of(k),
            _ when names.Contains(choice) => ClassSelection.Of(names.ToList().IndexOf(choice)),
            _ => throw new UserInputException($"--class {choice}: expected a class from 0 to {model.Classes - 1}{(names.Count > 0 ? $" or its name ({string.Join(", ", names.Take(12))})" : "")}, all or none"),
        };
        return new Conditioning(classes, parse.IsGiven(_guidance) ? parse.GetValue(_guidance) : null, parse.IsGiven(_interval) ? parse.GetValue(_interval) : null);
    }

    private ListedClasses Labels(ParseResult parse, string path, FlowModel model, long first)
    {
        parse.Refuse("does not apply with --labels, which gives each sample's class", _class);
        (long[] shape, long[] labels) = NpyFile.ReadIntegers(path);
        if (shape.Length != 1 || shape[0] == 0)
        {
            throw new UserInputException($"--labels {path}: expected one class per sample (int64 or int32 [N]), not shape [{string.Join(", ", shape)}]");
        }

        ListedClasses listed = ClassSelection.Listed(labels, first);
        listed.Validate(model.Classes);
        return listed;
    }

    /// <summary>Refuses the options for models that are not class-conditional images.</summary>
    public void Refuse(ParseResult parse) => parse.Refuse("applies only to class-conditional image models", [.. All]);
}

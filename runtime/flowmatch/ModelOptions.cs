using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Interpolants;
using FlowMatching.Runtime.Options;

namespace FlowMatching.Runtime.Cli;

/// <summary>The options every command that runs a velocity model shares, and how they open it.</summary>
public sealed class ModelOptions
{
    private readonly Option<string> _model = CliOptions.Option("--model", "a shipped model's name ('flowmatch models' lists them), an ONNX model file, or exact:gmm8 for the closed-form field", "gmm8");
    private readonly Option<ExecutionProviderKind> _provider = CliOptions.Choice("--provider", "ONNX Runtime execution provider; auto: CUDA when it loads", CliChoices.Providers, ExecutionProviderKind.Auto);
    private readonly Option<InterpolantKind?> _interpolant = Interpolant();
    private readonly Option<int> _classes = CliOptions.Option("--classes", "models without metadata that take classes y: their count K (ids 0..K-1; the null class is K)", 0);
    private readonly Option<int?> _nullClass = CliOptions.Option<int?>("--null-class", "models without metadata: the null class's id, when not K (an id outside 0..K-1)");
    private readonly Option<string?> _classNames = CliOptions.Option<string?>("--class-names", "models without metadata: NAME,NAME,... the classes' names in id order (default: the ids)");
    private readonly Option<(double Low, double High)?> _dataRange = CliOptions.Parsed<(double Low, double High)?>("--data-range",
        "image models without metadata: LOW,HIGH, the pixel range (default -1,1)", null, ValueRangeText.TryParseNullable, ValueRangeText.Expected);
    private readonly Option<int> _threads = CliOptions.Option("--threads", "CPU threads, each evaluating its own block of rows (0: one per core); does not change the output", 0);

    // Help names the values the option takes (linear|trig), not the enum's members.
    private static Option<InterpolantKind?> Interpolant()
    {
        Option<InterpolantKind?> option = CliOptions.Parsed<InterpolantKind?>("--interpolant", "interpolant for models without metadata", null,
            (string text, out InterpolantKind? kind) => (kind = InterpolantCatalog.TryParse(text, out InterpolantKind read) ? read : null) is not null,
            $"one of {string.Join(", ", InterpolantCatalog.Names)}");
        option.HelpName = string.Join("|", InterpolantCatalog.Names);
        return option;
    }

    public IEnumerable<Option> All => [_model, _provider, _interpolant, _classes, _nullClass, _classNames, _dataRange, _threads];

    /// <summary>The options that describe a model without metadata (the model, its interpolant, classes and range), for annotate.</summary>
    public IEnumerable<Option> Descriptive => [_model, _interpolant, _classes, _nullClass, _classNames, _dataRange];

    public string Spec(ParseResult parse) => parse.GetValue(_model)!;

    /// <summary>The interpolant --interpolant names, when given.</summary>
    public InterpolantKind? Interpolant(ParseResult parse) => parse.GetValue(_interpolant);

    /// <summary>Opens a velocity model; a sampler graph is refused (it has no field to integrate or score).</summary>
    public VelocityModel OpenVelocity(ParseResult parse) => VelocityModel.Of(Open(parse));

    /// <summary>What the flags say about a model without metadata; null when none of them was given.</summary>
    public ModelDescription? Description(ParseResult parse)
    {
        if (!parse.IsGiven(_classes) && !parse.IsGiven(_nullClass) && !parse.IsGiven(_classNames) && !parse.IsGiven(_dataRange))
        {
            return null;
        }

        string[]? names = parse.GetValue(_classNames)?.Split(',');
        var description = new ModelDescription
        {
            Classes = parse.IsGiven(_classes) ? parse.GetValue(_classes) : names?.Length ?? 0,
            NullClass = parse.GetValue(_nullClass),
            ClassNames = names,
            ValueRange = parse.GetValue(_dataRange),
        };
        description.Validate();
        return description;
    }

    public FlowModel Open(ParseResult parse)
    {
        string spec = Spec(parse);
        if (!File.Exists(spec) && !Directory.Exists(spec) && !spec.StartsWith("exact:", StringComparison.Ordinal) && !spec.Contains('/') && !ShippedModels.Names.Contains(spec))
        {
            throw new UserInputException($"--model {spec}: no such model file, and no shipped model of that name ({string.Join(", ", ShippedModels.Names)})");
        }

        return FlowModel.Load(ShippedModels.Resolve(spec), new ModelLoadOptions
        {
            Provider = parse.GetValue(_provider),
            Threads = parse.InRange(_threads, 0, 1024),
            Interpolant = parse.GetValue(_interpolant)?.Create(),
            Description = Description(parse),
            Logger = new StderrLogger(RuntimeCommands.Name),
        });
    }
}

using System.Globalization;
using FlowMatching.Errors;
using FlowMatching.Interpolants;

namespace FlowMatching.Contract;

/// <summary>
/// What an exported model says about itself, stored as ONNX metadata_props under the keys in
/// <see cref="MetadataKeys"/>; this record is the one reader and writer of those keys. The runtime needs the
/// interpolant, the dimension, the kind (<see cref="NetworkKind"/>, <see cref="Sampler"/>) and the classes; the rest
/// documents how the model was made.
/// </summary>
public sealed record ModelContract(
    string Producer,
    string ProducerVersion,
    InterpolantKind? Interpolant,
    int Dimension,
    string BaseDistribution,
    string Target,
    IReadOnlyList<int> Hidden,
    string Activation,
    int Steps,
    int Batch,
    long Seed,
    double FinalLoss)
{
    /// <summary>Decay of the exported weight average; 0 when the raw weights were exported.</summary>
    /// <summary>The producer this project's trainer writes: its models' graphs are known (e.g. a Gather class embedding).</summary>
    public const string ThisProducer = "FlowMatching.Trainer";

    public double EmaDecay { get; init; }

    /// <summary>How t enters the network.</summary>
    public TimeEmbedding TimeEmbedding { get; init; } = TimeEmbedding.None;

    /// <summary>
    /// Per-column mean and std the data were standardised with before training; empty when the model
    /// samples in the data's own units. The runtime maps samples back with x = mean + std z.
    /// </summary>
    public IReadOnlyList<double> DataMean { get; init; } = [];

    public IReadOnlyList<double> DataStd { get; init; } = [];

    public NetworkKind NetworkKind { get; init; } = NetworkKind.Mlp;

    /// <summary>The shape of one sample, C,H,W for images; empty for points (whose shape is [Dimension]).</summary>
    public IReadOnlyList<int> Shape { get; init; } = [];

    /// <summary>The lowest and highest value of the data (pixels), empty when unbounded.</summary>
    public IReadOnlyList<double> ValueRange { get; init; } = [];

    /// <summary>Class names of a class-conditional model, in the order of their ids 0..K-1.</summary>
    public IReadOnlyList<string> ClassNames { get; init; } = [];

    /// <summary>The classes K of a class-conditional model; 0 for others.</summary>
    public int Classes => ClassNames.Count;

    /// <summary>
    /// The id the network takes for the null (unconditional) class: K unless stated otherwise (a model from
    /// elsewhere may use another id outside 0..K-1); null without classes.
    /// </summary>
    public int? NullClass
    {
        get => Classes == 0 ? null : _nullClass ?? Classes;
        init => _nullClass = value;
    }

    private readonly int? _nullClass;

    public bool IsImageModel => Shape.Count == 3;

    /// <summary>A classifier's accuracy on its held-out split; null for velocity models.</summary>
    public double? TestAccuracy { get; init; }

    /// <summary>The teacher of a reflow model (its file, ODE steps and pairs); null for models trained on data.</summary>
    public string? Teacher { get; init; }

    /// <summary>The sampler measured best for this model; null when its maker recommended none.</summary>
    public RecommendedSampling? Recommended { get; init; }

    /// <summary>How the layers were rewritten to int8; null for a float model.</summary>
    public Quantization? Quantization { get; init; }

    /// <summary>What the network returns: a velocity, or the average velocity over a step (a flow map).</summary>
    public ModelKind ModelKind { get; init; } = ModelKind.VelocityField;

    /// <summary>What a sampler graph (z -> x1) unrolls; null for a velocity model.</summary>
    public SamplerSpec? Sampler { get; init; }

    /// <summary>The entry that marks a quantized model, added after the rest when a model is rewritten.</summary>
    public static KeyValuePair<string, string> QuantizationProperty(Quantization quantization) => new(MetadataKeys.Quantization, Quantizations.Names.Name(quantization));

    /// <summary>The entry that marks a sampler graph, added after the rest when a model is unrolled.</summary>
    public static KeyValuePair<string, string> SamplerProperty(SamplerSpec sampler) => new(MetadataKeys.Sampler, sampler.ToString());

    public const int CurrentFormatVersion = 1;

    public IReadOnlyList<KeyValuePair<string, string>> ToProperties() =>
    [
        new(MetadataKeys.FormatVersion, CurrentFormatVersion.ToString(CultureInfo.InvariantCulture)),
        new(MetadataKeys.Producer, Producer),
        new(MetadataKeys.ProducerVersion, ProducerVersion),
        new(MetadataKeys.Interpolant, Interpolant is { } kind ? InterpolantCatalog.Name(kind) : NoInterpolant),
        new(MetadataKeys.Dimension, Dimension.ToString(CultureInfo.InvariantCulture)),
        new(MetadataKeys.BaseDistribution, BaseDistribution),
        new(MetadataKeys.Target, Target),
        new(MetadataKeys.Hidden, string.Join(",", Hidden)),
        new(MetadataKeys.Activation, Activation),
        new(MetadataKeys.Steps, Steps.ToString(CultureInfo.InvariantCulture)),
        new(MetadataKeys.Batch, Batch.ToString(CultureInfo.InvariantCulture)),
        new(MetadataKeys.Seed, Seed.ToString(CultureInfo.InvariantCulture)),
        new(MetadataKeys.FinalLoss, FinalLoss.ToString("R", CultureInfo.InvariantCulture)),
        new(MetadataKeys.EmaDecay, EmaDecay.ToString("R", CultureInfo.InvariantCulture)),
        new(MetadataKeys.TimeEmbedding, TimeEmbedding.ToString()),
        .. DataMean.Count == 0 ? Array.Empty<KeyValuePair<string, string>>() :
        [
            new(MetadataKeys.DataMean, string.Join(",", DataMean.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))),
            new(MetadataKeys.DataStd, string.Join(",", DataStd.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))),
        ],
        .. !IsImageModel ? Array.Empty<KeyValuePair<string, string>>() :
        [
            new(MetadataKeys.NetworkKind, NetworkKinds.Names.Name(NetworkKind)),
            new(MetadataKeys.Shape, string.Join(",", Shape)),
            new(MetadataKeys.ValueRange, string.Join(",", ValueRange.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))),
        ],
        .. ClassNames.Count == 0 ? Array.Empty<KeyValuePair<string, string>>() :
        [
            new(MetadataKeys.ClassNames, System.Text.Json.JsonSerializer.Serialize(ClassNames)),
            new(MetadataKeys.NullClass, NullClass!.Value.ToString(CultureInfo.InvariantCulture)),
        ],
        .. TestAccuracy is not { } accuracy ? Array.Empty<KeyValuePair<string, string>>() :
        [
            new(MetadataKeys.TestAccuracy, accuracy.ToString("R", CultureInfo.InvariantCulture)),
        ],
        .. Teacher is null ? Array.Empty<KeyValuePair<string, string>>() : [new(MetadataKeys.Teacher, Teacher)],
        .. ModelKind == ModelKind.VelocityField ? Array.Empty<KeyValuePair<string, string>>() : [new(MetadataKeys.ModelKind, ModelKinds.Names.Name(ModelKind))],
        .. Recommended?.ToProperties() ?? [],
        .. Quantization is { } quantization ? [QuantizationProperty(quantization)] : Array.Empty<KeyValuePair<string, string>>(),
        .. Sampler is { } sampler ? [SamplerProperty(sampler)] : Array.Empty<KeyValuePair<string, string>>(),
    ];

    // What a model that is no velocity field (a classifier) stores as its interpolant.
    private const string NoInterpolant = "none";

    /// <summary>
    /// Reads the contract back; null when the model carries none of it (a model from another exporter).
    /// A model that carries it in another format version, or incompletely, is an error.
    /// </summary>
    public static ModelContract? FromProperties(IReadOnlyDictionary<string, string> properties, string source)
    {
        if (!properties.TryGetValue(MetadataKeys.FormatVersion, out string? version))
        {
            return null;
        }

        if (version != CurrentFormatVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw new ModelContractException(source, $"has the format version {version}, and this build reads version {CurrentFormatVersion}", MetadataKeys.FormatVersion);
        }

        string Get(string key) => properties.TryGetValue(key, out string? value)
            ? value
            : throw new ModelContractException(source, "is missing", key);

        T Parse<T>(string key) where T : IParsable<T> => T.TryParse(Get(key), CultureInfo.InvariantCulture, out T? value)
            ? value
            : throw new ModelContractException(source, $"has the unreadable value '{Get(key)}'", key);

        string? Optional(string key) => properties.TryGetValue(key, out string? value) ? value : null;

        int[] Widths(string key) => Get(key) is { Length: > 0 } list
            ? list.Split(',').Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int w) && w > 0
                ? w
                : throw new ModelContractException(source, $"has the unreadable value '{list}'", key)).ToArray()
            : [];

        string[] Names(string json)
        {
            try
            {
                return System.Text.Json.JsonSerializer.Deserialize<string[]>(json) ?? throw new System.Text.Json.JsonException();
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new ModelContractException(source, $"is not a JSON array of class names ({e.Message})", MetadataKeys.ClassNames, e);
            }
        }

        double[] Numbers(string key) => Optional(key) is { Length: > 0 } list
            ? list.Split(',').Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x)
                ? x
                : throw new ModelContractException(source, $"has the unreadable value '{list}'", key)).ToArray()
            : [];

        GuidanceInterval? Interval(string key) => Optional(key) is not { } text ? null
            : GuidanceInterval.TryParse(text, out GuidanceInterval interval) ? interval
            : throw new ModelContractException(source, $"must be {GuidanceInterval.Expected}, not '{text}'", key);

        T Named<T>(string key, NameTable<T> names) where T : struct, Enum => names.TryParse(Get(key), out T value)
            ? value
            : throw new ModelContractException(source, $"names '{Get(key)}', not one of {string.Join(", ", names.Names)}", key);

        var contract = new ModelContract(
            Get(MetadataKeys.Producer),
            Get(MetadataKeys.ProducerVersion),
            Get(MetadataKeys.Interpolant) == NoInterpolant ? null : Named(MetadataKeys.Interpolant, InterpolantCatalog.Table),
            Parse<int>(MetadataKeys.Dimension),
            Get(MetadataKeys.BaseDistribution),
            Get(MetadataKeys.Target),
            Widths(MetadataKeys.Hidden),
            Get(MetadataKeys.Activation),
            Parse<int>(MetadataKeys.Steps),
            Parse<int>(MetadataKeys.Batch),
            Parse<long>(MetadataKeys.Seed),
            Parse<double>(MetadataKeys.FinalLoss))
        {
            EmaDecay = Optional(MetadataKeys.EmaDecay) is null ? 0 : Parse<double>(MetadataKeys.EmaDecay),
            TimeEmbedding = Optional(MetadataKeys.TimeEmbedding) is not { } embedding ? TimeEmbedding.None
                : TimeEmbedding.TryParse(embedding, out TimeEmbedding? read) ? read
                : throw new ModelContractException(source, $"must be {TimeEmbedding.Expected}, not '{embedding}'", MetadataKeys.TimeEmbedding),
            DataMean = Numbers(MetadataKeys.DataMean),
            DataStd = Numbers(MetadataKeys.DataStd),
            NetworkKind = Optional(MetadataKeys.NetworkKind) is null ? NetworkKind.Mlp : Named(MetadataKeys.NetworkKind, NetworkKinds.Names),
            ModelKind = Optional(MetadataKeys.ModelKind) is null ? ModelKind.VelocityField : Named(MetadataKeys.ModelKind, ModelKinds.Names),
            Quantization = Optional(MetadataKeys.Quantization) is null ? null : Named(MetadataKeys.Quantization, Quantizations.Names),
            Sampler = Optional(MetadataKeys.Sampler) is { } sampler ? SamplerSpec.Parse(sampler, source) : null,
            Shape = Optional(MetadataKeys.Shape) is null ? [] : Widths(MetadataKeys.Shape),
            ValueRange = Numbers(MetadataKeys.ValueRange),
            ClassNames = Optional(MetadataKeys.ClassNames) is { } names ? Names(names) : [],
            NullClass = Optional(MetadataKeys.NullClass) is null ? null : Parse<int>(MetadataKeys.NullClass),
            TestAccuracy = Optional(MetadataKeys.TestAccuracy) is null ? null : Parse<double>(MetadataKeys.TestAccuracy),
            Teacher = Optional(MetadataKeys.Teacher),
            Recommended = Optional(MetadataKeys.RecommendedMethod) is null ? null
                : new RecommendedSampling(Named(MetadataKeys.RecommendedMethod, OdeMethods.FixedStep), Parse<int>(MetadataKeys.RecommendedSteps), Parse<double>(MetadataKeys.RecommendedGuidance), Interval(MetadataKeys.RecommendedGuidanceInterval))
                {
                    Grid = Optional(MetadataKeys.RecommendedTimeGrid) is null ? null : Numbers(MetadataKeys.RecommendedTimeGrid),
                    Autoguidance = Optional(MetadataKeys.RecommendedAutoguidance) is null && Optional(MetadataKeys.RecommendedWeakModel) is null ? null
                        : new RecommendedAutoguidance(Get(MetadataKeys.RecommendedWeakModel), Parse<double>(MetadataKeys.RecommendedAutoguidance)),
                },
        };
        contract.Recommended?.Validate(source);
        if (contract.Recommended is null && RecommendedSampling.Keys.FirstOrDefault(k => Optional(k) is not null) is { } orphan)
        {
            throw new ModelContractException(source, $"is set, but {MetadataKeys.RecommendedMethod} is missing: a recommendation names its method", orphan);
        }

        if (contract is { ModelKind: ModelKind.FlowMap, Recommended.Method: not OdeMethod.Euler })
        {
            throw new ModelContractException(source, $"must be euler for a flow map, whose step is x + h u(x, t, h), not {OdeMethods.Names.Name(contract.Recommended.Method)}", MetadataKeys.RecommendedMethod);
        }

        if (contract.ValueRange.Count != 0 && !(contract.ValueRange.Count == 2 && contract.ValueRange.All(double.IsFinite) && contract.ValueRange[0] < contract.ValueRange[1]))
        {
            throw new ModelContractException(source, $"must be LOW,HIGH with LOW < HIGH, not '{Optional(MetadataKeys.ValueRange)}'", MetadataKeys.ValueRange);
        }

        if (contract.Shape.Count is not (0 or 3) || (contract.Shape.Count == 3 && contract.Shape.Aggregate(1, (a, b) => a * b) != contract.Dimension))
        {
            throw new ModelContractException(source, $"'{string.Join(",", contract.Shape)}' is not C,H,W of {contract.Dimension} values", MetadataKeys.Shape);
        }

        if (contract.Classes > 0 && (Optional(MetadataKeys.NullClass) is null || contract.NullClass < contract.Classes))
        {
            throw new ModelContractException(source, $"must be an id outside the classes 0..{contract.Classes - 1} (usually {contract.Classes}), not '{Optional(MetadataKeys.NullClass)}'", MetadataKeys.NullClass);
        }

        if (contract.Classes == 0 && Optional(MetadataKeys.NullClass) is not null)
        {
            throw new ModelContractException(source, $"is set, but {MetadataKeys.ClassNames} is missing: a null class needs classes", MetadataKeys.NullClass);
        }

        if (contract.DataMean.Count != contract.DataStd.Count || (contract.DataMean.Count != 0 && contract.DataMean.Count != contract.Dimension))
        {
            throw new ModelContractException(source, $"and {MetadataKeys.DataStd} must both list {contract.Dimension} numbers", MetadataKeys.DataMean);
        }

        return contract;
    }
}

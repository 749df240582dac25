using FlowMatching.Errors;
using FlowMatching.Runtime.Models;
using FlowMatching.Runtime.Options;
using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Sampling;

/// <summary>
/// Builds the field a sampling run integrates, in one place: the model's network, autoguided by a weak model
/// (opened once, checked to be of the same data), guided between each row's class and the null class, bound to
/// each chunk's classes and checked finite. Owns the weak models it opens.
/// </summary>
internal sealed class FieldComposition(VelocityModel model, IVelocityField network) : IDisposable
{
    private readonly Dictionary<string, VelocityModel> _weakModels = [];

    /// <summary>The networks a run evaluates, for aborting their evaluations in flight.</summary>
    public IEnumerable<IVelocityField> Networks => _weakModels.Values.Select(weak => weak.Network).Append(network);

    /// <summary>The field for the classes of one chunk (null: no classes) under resolved, valid options.</summary>
    public Func<long[]?, IVelocityField> Compose(SamplingOptions options)
    {
        IVelocityField field = options.Autoguidance is { IsActive: true } autoguidance ? Autoguided(autoguidance) : network;
        return Guided(field, options.Conditioning, model.Source);
    }

    /// <summary>The field guided between each row's class and the null class, bound to each chunk's classes and checked finite.</summary>
    public static Func<long[]?, IVelocityField> Guided(IVelocityField field, Conditioning? conditioning, string source)
    {
        if (conditioning is null)
        {
            var finite = new FiniteVelocityField(field, source);
            return _ => finite;
        }

        if (field is not IClassConditionalField { Classes: > 0 } conditional)
        {
            throw new InvalidSettingException("Class", $"{source} is not a class-conditional model");
        }

        var guided = new GuidedField(conditional, conditioning);
        return classes => new FiniteVelocityField(classes is null ? guided : new ClassBoundField(guided, classes), source);
    }

    /// <summary>Opens the weak model (kept for sampling); throws <see cref="ModelContractException"/> when it cannot guide this one.</summary>
    public AutoguidedField Autoguided(Autoguidance autoguidance)
    {
        if (network is not IClassConditionalField own)
        {
            throw new InvalidSettingException("Autoguidance", $"needs an ONNX velocity model, and {model.Source} is a closed-form field");
        }

        string weakPath = autoguidance.WeakModel ?? throw new InvalidSettingException("Autoguidance", "names no weak model");
        string key = Path.GetFullPath(weakPath);
        if (!_weakModels.TryGetValue(key, out VelocityModel? weak))
        {
            FlowModel opened = FlowModel.Load(weakPath, model.LoadOptions);
            try
            {
                weak = RequireSameData(opened);
            }
            catch
            {
                opened.Dispose();
                throw;
            }

            _weakModels[key] = weak;
        }

        return new AutoguidedField(own, (IClassConditionalField)weak.Network, autoguidance.Weight ?? 1, weak.Source);
    }

    public void Dispose()
    {
        foreach (VelocityModel weak in _weakModels.Values)
        {
            weak.Dispose();
        }

        _weakModels.Clear();
    }

    // A weak model guides only a model of the same data: same values in the same units, same classes, same path.
    private VelocityModel RequireSameData(FlowModel opened)
    {
        string? mismatch = opened switch
        {
            not VelocityModel => "is a sampler graph, not a velocity model",
            VelocityModel { Network: not IClassConditionalField } => "is a closed-form field, not an ONNX velocity model",
            _ when !opened.SampleShape.SequenceEqual(model.SampleShape) => $"samples [{string.Join(",", opened.SampleShape)}], {model.Source} [{string.Join(",", model.SampleShape)}]",
            _ when opened.Classes != model.Classes => $"has {opened.Classes} classes, {model.Source} {model.Classes}",
            VelocityModel weak when weak.Interpolant.Name != model.Interpolant.Name => $"was trained with the {weak.Interpolant.Name} interpolant, {model.Source} with the {model.Interpolant.Name}",
            _ when opened.Contract?.Target != model.Contract?.Target => $"was trained on {opened.Contract?.Target ?? "unknown data"}, {model.Source} on {model.Contract?.Target ?? "unknown data"}",
            _ when !SameNumbers(opened.Scaling?.Mean, model.Scaling?.Mean) || !SameNumbers(opened.Scaling?.Std, model.Scaling?.Std) => $"standardises its data otherwise than {model.Source}",
            _ => null,
        };
        return mismatch is null
            ? (VelocityModel)opened
            : throw new ModelContractException(opened.Source, $"cannot guide {model.Source} as its weak model: it {mismatch}");
    }

    private static bool SameNumbers(IReadOnlyList<double>? a, IReadOnlyList<double>? b) => a is null ? b is null : b is not null && a.SequenceEqual(b);
}

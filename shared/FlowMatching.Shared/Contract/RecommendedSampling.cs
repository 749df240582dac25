using System.Globalization;
using FlowMatching.Errors;
using FlowMatching.Interpolants;

namespace FlowMatching.Contract;

/// <summary>
/// The ODE sampler a model's maker measured as its best trade-off (a fixed-step method, its steps and, for
/// class-conditional models, the guidance scale and the times it applies at; the steps' times when they are not
/// uniform); samplers use it for whatever their user leaves unset.
/// </summary>
public sealed record RecommendedSampling(OdeMethod Method, int Steps, double Guidance = 1.0, GuidanceInterval? Interval = null)
{
    /// <summary>The times of the steps, 0 = t_0 &lt; ... &lt; t_Steps = 1; null for a uniform grid.</summary>
    public IReadOnlyList<double>? Grid { get; init; }

    /// <summary>Autoguidance for unconditional samples; null when the model recommends none.</summary>
    public RecommendedAutoguidance? Autoguidance { get; init; }

    /// <summary>Every key a recommendation may write; a new recommendation replaces all of them.</summary>
    public static IReadOnlyList<string> Keys { get; } =
        [MetadataKeys.RecommendedMethod, MetadataKeys.RecommendedSteps, MetadataKeys.RecommendedGuidance, MetadataKeys.RecommendedGuidanceInterval, MetadataKeys.RecommendedTimeGrid,
         MetadataKeys.RecommendedAutoguidance, MetadataKeys.RecommendedWeakModel];

    public IReadOnlyList<KeyValuePair<string, string>> ToProperties() =>
    [
        new(MetadataKeys.RecommendedMethod, OdeMethods.Names.Name(Method)),
        new(MetadataKeys.RecommendedSteps, Steps.ToString(CultureInfo.InvariantCulture)),
        new(MetadataKeys.RecommendedGuidance, Guidance.ToString("R", CultureInfo.InvariantCulture)),
        .. Interval is null ? [] : new[] { new KeyValuePair<string, string>(MetadataKeys.RecommendedGuidanceInterval, Interval.ToString()) },
        .. Grid is null ? [] : new[] { new KeyValuePair<string, string>(MetadataKeys.RecommendedTimeGrid, string.Join(",", Grid.Select(t => t.ToString("R", CultureInfo.InvariantCulture)))) },
        .. Autoguidance is null ? [] : new KeyValuePair<string, string>[]
        {
            new(MetadataKeys.RecommendedAutoguidance, Autoguidance.Weight.ToString("R", CultureInfo.InvariantCulture)),
            new(MetadataKeys.RecommendedWeakModel, Autoguidance.WeakModel),
        },
    ];

    /// <summary>Throws <see cref="ModelContractException"/> naming the key that is out of range.</summary>
    public void Validate(string source)
    {
        if (!Method.IsFixedStep())
        {
            throw new ModelContractException(source, $"must be a fixed-step method ({string.Join(", ", OdeMethods.FixedStep.Names)}), not {OdeMethods.Names.Name(Method)}", MetadataKeys.RecommendedMethod);
        }

        if (Steps is < 1 or > 1_000_000)
        {
            throw new ModelContractException(source, $"must be between 1 and 1000000, not {Steps}", MetadataKeys.RecommendedSteps);
        }

        if (!(Guidance >= 0 && Guidance <= 100))
        {
            throw new ModelContractException(source, $"must be between 0 and 100, not {Guidance}", MetadataKeys.RecommendedGuidance);
        }

        if (Grid is not null && (Grid.Count != Steps + 1 || !TimeGrid.RisesFromZeroToOne(Grid)))
        {
            throw new ModelContractException(source, $"must rise strictly from 0 to 1 in {Steps} steps", MetadataKeys.RecommendedTimeGrid);
        }

        if (Autoguidance is { Weight: not (>= 0 and <= 100) })
        {
            throw new ModelContractException(source, $"must be between 0 and 100, not {Autoguidance.Weight}", MetadataKeys.RecommendedAutoguidance);
        }

        if (Autoguidance is { IsRelative: false })
        {
            throw new ModelContractException(source, $"must be a path relative to the model's folder, not '{Autoguidance.WeakModel}'", MetadataKeys.RecommendedWeakModel);
        }

        if (Interval is { IsValid: false })
        {
            throw new ModelContractException(source, $"must be {GuidanceInterval.Expected}, not {Interval}", MetadataKeys.RecommendedGuidanceInterval);
        }
    }
}

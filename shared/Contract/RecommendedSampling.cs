using System.Globalization;
using FlowMatching.Errors;

namespace FlowMatching.Contract;

/// <summary>
/// The ODE sampler a model's maker measured as its best trade-off (a fixed-step method, its steps and, for
/// class-conditional models, the guidance scale); samplers use it for whatever their user leaves unset.
/// </summary>
public sealed record RecommendedSampling(string Method, int Steps, double Guidance = 1.0)
{
    /// <summary>The fixed-step ODE methods a recommendation may name, as the file stores them.</summary>
    public static IReadOnlyList<string> Methods { get; } = ["euler", "midpoint", "heun", "rk4"];

    public IReadOnlyList<KeyValuePair<string, string>> ToProperties() =>
    [
        new(MetadataKeys.RecommendedMethod, Method),
        new(MetadataKeys.RecommendedSteps, Steps.ToString(CultureInfo.InvariantCulture)),
        new(MetadataKeys.RecommendedGuidance, Guidance.ToString("R", CultureInfo.InvariantCulture)),
    ];

    /// <summary>Throws <see cref="ModelContractException"/> naming the key that is out of range.</summary>
    public void Validate(string source)
    {
        if (!Methods.Contains(Method))
        {
            throw new ModelContractException(source, $"names '{Method}', not one of {string.Join(", ", Methods)}", MetadataKeys.RecommendedMethod);
        }

        if (Steps is < 1 or > 1_000_000)
        {
            throw new ModelContractException(source, $"must be between 1 and 1000000, not {Steps}", MetadataKeys.RecommendedSteps);
        }

        if (!(Guidance >= 0 && Guidance <= 100))
        {
            throw new ModelContractException(source, $"must be between 0 and 100, not {Guidance}", MetadataKeys.RecommendedGuidance);
        }
    }
}

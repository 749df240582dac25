using System.Globalization;
using FlowMatching.Errors;

namespace FlowMatching.Contract;

/// <summary>The method a sampler graph unrolls, stored as METHOD:STEPS (euler:4) under <see cref="MetadataKeys.Sampler"/>.</summary>
public sealed record SamplerSpec(OdeMethod Method, int Steps)
{
    public override string ToString() => $"{OdeMethods.Names.Name(Method)}:{Steps.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Reads the stored form; throws <see cref="ModelContractException"/> naming the key otherwise.</summary>
    public static SamplerSpec Parse(string text, string source)
    {
        string[] parts = text.Split(':');
        return parts.Length == 2 && OdeMethods.FixedStep.TryParse(parts[0], out OdeMethod method)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int steps) && steps is >= 1 and <= 1_000_000
            ? new SamplerSpec(method, steps)
            : throw new ModelContractException(source, $"must be METHOD:STEPS with a fixed-step method and 1 to 1000000 steps (euler:4), not '{text}'", MetadataKeys.Sampler);
    }
}

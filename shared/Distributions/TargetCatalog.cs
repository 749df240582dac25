namespace FlowMatching.Distributions;

/// <summary>The named target distributions, as given to --target and stored in model metadata.</summary>
public static class TargetCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["gmm8", "checkerboard"];

    public static IDistribution Parse(string name) => name switch
    {
        "gmm8" => GaussianMixture.Ring8(),
        "checkerboard" => new Checkerboard(),
        _ => throw new UserInputException($"unknown target '{name}' (known: {string.Join(", ", Names)})"),
    };
}

namespace FlowMatching.Errors;

/// <summary>
/// A setting that is out of range or does not apply to the chosen method (steps for an adaptive solver, say).
/// <see cref="Setting"/> is the property's name in the library's option records; a CLI maps it to its flag.
/// </summary>
public sealed class InvalidSettingException(string setting, string problem)
    : FlowMatchingException($"{setting}: {problem}")
{
    public string Setting { get; } = setting;

    public string Problem { get; } = problem;
}

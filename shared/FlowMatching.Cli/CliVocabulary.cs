using FlowMatching.Errors;

namespace FlowMatching.Cli;

/// <summary>
/// How one program words the library's typed errors for its users: the library names its settings by
/// their option-record names, the CLI by its flags. This table is the one place that knows both.
/// </summary>
public sealed class CliVocabulary(IReadOnlyDictionary<string, string> settingFlags)
{
    public string Flag(string setting) => settingFlags.TryGetValue(setting, out string? flag) ? flag : setting;

    public string Word(FlowMatchingException error) => error switch
    {
        OutputFileException { AlreadyExists: true } file => $"{file.Path}: already exists; pass --force to overwrite it",
        InvalidSettingException setting => $"{Flag(setting.Setting)}: {setting.Problem}",
        StepLimitException limit =>
            $"dopri5 needed more than {limit.MaxSteps} steps at t = {limit.Time:F4}; loosen {Flag("RelativeTolerance")}/{Flag("AbsoluteTolerance")} or raise {Flag("MaxSteps")}",
        ProviderUnavailableException provider => $"{Flag("Provider")} {provider.Provider.ToLowerInvariant()}: {provider.Message}",
        _ => error.Message,
    };
}

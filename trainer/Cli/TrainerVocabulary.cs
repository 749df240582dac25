using FlowMatching.Cli;

namespace FlowMatching.Training.Cli;

/// <summary>The trainer's flags for the library's setting names.</summary>
public static class TrainerVocabulary
{
    public static CliVocabulary Vocabulary { get; } = new(new Dictionary<string, string>
    {
        ["Target"] = "--target",
        ["Provider"] = "--device",
        ["Network"] = "--network",
        ["Channels"] = "--channels",
    });
}

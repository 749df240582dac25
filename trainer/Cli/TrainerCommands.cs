using System.CommandLine;

namespace FlowMatching.Training.Cli;

/// <summary>The trainer's command tree.</summary>
public static class TrainerCommands
{
    /// <summary>The program's one name: its assembly, installed command, package and the prefix of what it says.</summary>
    public const string Name = "flowmatch-trainer";

    public static RootCommand CreateRoot() => new("Train flow-matching (stochastic-interpolant) velocity fields and export them to ONNX")
    {
        TrainCommand.Create(),
        TrainCommand.CreateReflow(),
        ExportCommand.Create(),
        ModelRewriteCommand.ExportSampler(),
        ModelRewriteCommand.Quantize(),
        ModelRewriteCommand.Recommend(),
        ClassifierCommand.Create(),
        ImagesCommand.Create(),
    };
}

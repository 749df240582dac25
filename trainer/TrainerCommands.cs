using System.CommandLine;

namespace FlowMatching.Training;

/// <summary>The trainer's command tree.</summary>
public static class TrainerCommands
{
    public static RootCommand CreateRoot() => new("Train flow-matching (stochastic-interpolant) velocity fields and export them to ONNX")
    {
        TrainCommand.Create(),
        TrainCommand.CreateReflow(),
        ExportCommand.Create(),
        ModelRewriteCommand.ExportSampler(),
        ModelRewriteCommand.Quantize(),
        ModelRewriteCommand.Recommend(),
        ClassifierCommand.Create(),
    };
}

using System.CommandLine;

namespace FlowMatching.Runtime.Cli;

/// <summary>The runtime's command tree.</summary>
public static class RuntimeCommands
{
    /// <summary>The program's one name: its assembly, installed command, package and the prefix of what it says.</summary>
    public const string Name = "flowmatch";

    public static RootCommand CreateRoot() => new("Sample flow-matching velocity fields exported to ONNX")
    {
        SampleCommand.Create(),
        EvaluateCommand.Create(),
        LogProbCommand.Create(),
        PlotCommand.Create(),
        DrawCommand.Create(),
        InfoCommand.Create(),
        ModelsCommand.Create(),
        AnnotateCommand.Create(),
    };
}

using System.CommandLine;

namespace FlowMatching.Runtime;

/// <summary>The runtime's command tree.</summary>
public static class RuntimeCommands
{
    public static RootCommand CreateRoot() => new("Sample flow-matching velocity fields exported to ONNX")
    {
        SampleCommand.Create(),
        EvaluateCommand.Create(),
        LogProbCommand.Create(),
        PlotCommand.Create(),
        DrawCommand.Create(),
        InfoCommand.Create(),
    };
}

using System.CommandLine;
using FlowMatching.Runtime.Cli.Figures;

namespace FlowMatching.Runtime.Cli;

/// <summary>`flowmatch plot ...`: the tutorial's figures as PNG files, for any model and data.</summary>
public static class PlotCommand
{
    public static Command Create() => new("plot", "Draw the tutorial's figures as PNG")
    {
        DistributionsFigure.Create(), InterpolantFigure.Create(), LossFigure.Create(), SamplesFigure.Create(), TrajectoriesFigure.Create(), ImagePathFigure.Create(), SweepFigure.Create(), GridFigure.Create(),
    };
}

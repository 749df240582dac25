using System.CommandLine;
using FlowMatching.Io;

namespace FlowMatching.Runtime.Cli.Figures;

/// <summary>Samples of rho_0 beside samples of rho_1.</summary>
public static class DistributionsFigure
{
    /// <summary>The base N(0, I) panel spans [-4, 4] as the tutorial's does, whatever span the data panel has.</summary>
    public const double BaseLimit = 4;

    public static Command Create()
    {
        Option<double> limit = FigureCommand.LimitOption();
        var points = new FigurePoints(5000, "draw these points as rho_1 instead (CSV)");
        return FigureCommand.Create("distributions", "Samples of rho_0 beside samples of rho_1", parse =>
        {
            PointSet targetPoints = points.Target(parse);
            return Draw(points.Base(parse, targetPoints), targetPoints, FigureCommand.Limit(parse, limit));
        }, [.. points.All, limit]);
    }

    public static FigureCanvas Draw(PointSet basePoints, PointSet targetPoints, double limit)
    {
        var canvas = new FigureCanvas(2);
        FigureCanvas.Cloud(canvas.Panel(0), basePoints, 0.3);
        FigureCanvas.Square(canvas.Panel(0), "Samples under ρ₀", BaseLimit);
        FigureCanvas.Cloud(canvas.Panel(1), targetPoints, 0.3);
        FigureCanvas.Square(canvas.Panel(1), "Samples under ρ₁", limit);
        return canvas;
    }
}

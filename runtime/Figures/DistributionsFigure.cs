using System.CommandLine;
using FlowMatching.Io;

namespace FlowMatching.Runtime.Figures;

/// <summary>Samples of rho_0 beside samples of rho_1.</summary>
public static class DistributionsFigure
{
    public static Command Create()
    {
        Option<double> limit = FigureCommand.LimitOption();
        var points = new FigurePoints(5000, "draw these points as rho_1 instead (CSV)");
        return FigureCommand.Create("distributions", "Samples of rho_0 beside samples of rho_1", parse =>
        {
            PointSet targetPoints = points.Target(parse);
            PointSet basePoints = points.Base(parse, targetPoints);
            var canvas = new FigureCanvas(2);
            FigureCanvas.Cloud(canvas.Panel(0), basePoints, 0.3);
            FigureCanvas.Square(canvas.Panel(0), "Samples under ρ₀", 4);
            FigureCanvas.Cloud(canvas.Panel(1), targetPoints, 0.3);
            FigureCanvas.Square(canvas.Panel(1), "Samples under ρ₁", parse.GetValue(limit));
            return canvas;
        }, [.. points.All, limit]);
    }
}

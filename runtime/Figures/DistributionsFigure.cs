using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Distributions;
using FlowMatching.Io;
using FlowMatching.Randomness;

namespace FlowMatching.Runtime.Figures;

/// <summary>Samples of rho_0 beside samples of rho_1.</summary>
public static class DistributionsFigure
{
    public static Command Create()
    {
        Option<double> limit = FigureCommand.LimitOption();
        Option<string> target = CommandRunner.Option("--target", "target distribution to draw from", "gmm8");
        Option<string?> data = CommandRunner.Option<string?>("--data", "draw these points as rho_1 instead (CSV)");
        Option<int> n = CommandRunner.Option("--n", "points per panel", 5000);
        Option<long> seed = CommandRunner.Option("--seed", "random seed", 0L);
        return FigureCommand.Create("distributions", "Samples of rho_0 beside samples of rho_1", parse =>
        {
            PointSet targetPoints = FigureCommand.TargetPoints(parse.GetValue(data), parse.GetValue(target)!, parse.InRange(n, 1, 1_000_000), parse.GetValue(seed));
            PointSet basePoints = FigureCommand.Draw(new StandardNormal(targetPoints.Dimension), targetPoints.Count, parse.GetValue(seed), Streams.BaseSamples);
            var canvas = new FigureCanvas(2);
            FigureCanvas.Cloud(canvas.Panel(0), basePoints, 0.3);
            FigureCanvas.Square(canvas.Panel(0), "Samples under ρ₀", 4);
            FigureCanvas.Cloud(canvas.Panel(1), targetPoints, 0.3);
            FigureCanvas.Square(canvas.Panel(1), "Samples under ρ₁", parse.GetValue(limit));
            return canvas;
        }, target, data, n, seed, limit);
    }
}

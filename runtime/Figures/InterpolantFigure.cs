using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Distributions;
using FlowMatching.Interpolants;
using FlowMatching.Io;
using FlowMatching.Randomness;

namespace FlowMatching.Runtime.Figures;

/// <summary>rho_t at evenly spaced times, drawn from the interpolant.</summary>
public static class InterpolantFigure
{
    public static Command Create()
    {
        Option<double> limit = FigureCommand.LimitOption();
        Option<string> target = CommandRunner.Option("--target", "target distribution to draw from", "gmm8");
        Option<string?> data = CommandRunner.Option<string?>("--data", "use these points as x1 instead (CSV)");
        Option<string> interpolant = CommandRunner.Choice("--interpolant", "interpolant schedule", "linear", [.. InterpolantCatalog.Names]);
        Option<int> n = CommandRunner.Option("--n", "points per panel", 8000);
        Option<int> panels = CommandRunner.Option("--panels", "number of times from 0 to 1", 6);
        Option<long> seed = CommandRunner.Option("--seed", "random seed", 0L);
        return FigureCommand.Create("interpolant", "rho_t at t = 0, 0.2, ..., 1, drawn from the interpolant I_t = alpha x0 + beta x1", parse =>
        {
            IInterpolant schedule = InterpolantCatalog.Parse(parse.GetValue(interpolant)!);
            PointSet x1 = FigureCommand.TargetPoints(parse.GetValue(data), parse.GetValue(target)!, parse.InRange(n, 1, 1_000_000), parse.GetValue(seed));
            PointSet x0 = FigureCommand.Draw(new StandardNormal(x1.Dimension), x1.Count, parse.GetValue(seed), Streams.BaseSamples);
            int count = parse.InRange(panels, 2, 20);
            var canvas = new FigureCanvas(count);
            for (int p = 0; p < count; p++)
            {
                double t = (double)p / (count - 1);
                var xt = new float[x1.Values.Length];
                for (int i = 0; i < xt.Length; i++)
                {
                    xt[i] = (float)schedule.Value(t, x0.Values[i], x1.Values[i]);
                }

                FigureCanvas.Cloud(canvas.Panel(p), new PointSet(xt, x1.Dimension), 0.08);
                FigureCanvas.Square(canvas.Panel(p), $"ρ(t = {t:F1})", parse.GetValue(limit));
            }

            return canvas;
        }, target, data, interpolant, n, panels, seed, limit);
    }
}

using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Interpolants;
using FlowMatching.Io;

namespace FlowMatching.Runtime.Cli.Figures;

/// <summary>rho_t at evenly spaced times, drawn from the interpolant.</summary>
public static class InterpolantFigure
{
    public static Command Create()
    {
        Option<double> limit = FigureCommand.LimitOption();
        var points = new FigurePoints(8000, "use these points as x1 instead (CSV)");
        Option<InterpolantKind> interpolant = CliOptions.Choice("--interpolant", "interpolant schedule", InterpolantCatalog.Table, InterpolantKind.Linear);
        Option<int> panels = CliOptions.Option("--panels", "number of times from 0 to 1", 6);
        return FigureCommand.Create("interpolant", "rho_t at t = 0, 0.2, ..., 1, drawn from the interpolant I_t = alpha x0 + beta x1", parse =>
        {
            IInterpolant schedule = parse.GetValue(interpolant).Create();
            PointSet x1 = points.Target(parse);
            PointSet x0 = points.Base(parse, x1);
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
                FigureCanvas.Square(canvas.Panel(p), $"ρ(t = {t:F1})", FigureCommand.Limit(parse, limit));
            }

            return canvas;
        }, [.. points.All, interpolant, panels, limit]);
    }
}

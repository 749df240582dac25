using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Io;
using ScottPlot;

namespace FlowMatching.Runtime.Cli.Figures;

/// <summary>Characteristic curves over a faint cloud of end points.</summary>
public static class TrajectoriesFigure
{
    public static Command Create()
    {
        Option<double> limit = FigureCommand.LimitOption();
        Option<string> trajectory = new("--trajectory") { Description = "trajectory CSV from `sample --trajectory` (step,t,id,x0,...)", Required = true };
        Option<string?> background = CliOptions.Option<string?>("--samples", "draw these samples (CSV) as a faint density behind the curves");
        return FigureCommand.Create("trajectories", "Characteristic curves X_t from t = 0 to 1 over a faint cloud of their end points", parse =>
        {
            string path = parse.GetValue(trajectory)!;
            NumericTable table = NumericTable.Read(path, "step", "t", "id", "x0", "x1");
            int id = table.Column("id", path), x = table.Column("x0", path), y = table.Column("x1", path), step = table.Column("step", path);
            double lastStep = table.Rows.Max(r => r[step]);
            var canvas = new FigureCanvas(1);
            Plot plot = canvas.Panel(0);
            if (parse.GetValue(background) is { } samplesPath)
            {
                FigureCanvas.Cloud(plot, FigureCanvas.ReadPlanar(samplesPath), 0.05);
            }

            foreach (var curve in table.Rows.GroupBy(r => r[id]))
            {
                double[][] ordered = curve.OrderBy(r => r[step]).ToArray();
                var line = plot.Add.ScatterLine(ordered.Select(r => r[x]).ToArray(), ordered.Select(r => r[y]).ToArray(), FigureCanvas.Purple.WithAlpha(0.25));
                line.LineWidth = 1;
            }

            var ends = table.Rows.Where(r => r[step] == lastStep).ToArray();
            var cloud = plot.Add.ScatterPoints(ends.Select(r => r[x]).ToArray(), ends.Select(r => r[y]).ToArray(), Colors.Orange.WithAlpha(0.5));
            cloud.MarkerSize = 3;
            FigureCanvas.Square(plot, "Characteristics X_t, t from 0 to 1", FigureCommand.Limit(parse, limit));
            return canvas;
        }, trajectory, background, limit);
    }
}

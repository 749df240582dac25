using System.CommandLine;
using FlowMatching.Io;
using ScottPlot;

namespace FlowMatching.Runtime.Cli.Figures;

/// <summary>
/// Measures against a setting (Fréchet ratio against guidance, against NFE): a panel per measured column,
/// a series per CSV table, named by the table's file name.
/// </summary>
public static class SweepFigure
{
    private static readonly Color[] Palette = [FigureCanvas.Purple, Colors.Orange, Colors.SeaGreen, Colors.Crimson, Colors.SteelBlue, Colors.Gray];

    public static Command Create()
    {
        Option<string[]> tables = new("--table") { Description = "CSV tables with a header, one series each (repeat the option)", Required = true, AllowMultipleArgumentsPerToken = true };
        Option<string> x = new("--x") { Description = "the column on the horizontal axis", Required = true };
        Option<string[]> y = new("--y") { Description = "the columns to draw, a panel each", Required = true, AllowMultipleArgumentsPerToken = true };
        return FigureCommand.Create("sweep", "Measures against a setting, from sweep tables (CSV)", parse =>
        {
            string[] paths = parse.GetValue(tables)!;
            return Draw(paths.Select(p => (Path.GetFileNameWithoutExtension(p), NumericTable.Read(p, [parse.GetValue(x)!, .. parse.GetValue(y)!]))).ToArray(), parse.GetValue(x)!, parse.GetValue(y)!);
        }, tables, x, y);
    }

    /// <summary>Each series sorted by x, so a table's rows may come in any order.</summary>
    public static FigureCanvas Draw(IReadOnlyList<(string Name, NumericTable Table)> series, string x, IReadOnlyList<string> y)
    {
        var canvas = new FigureCanvas(y.Count);
        for (int panel = 0; panel < y.Count; panel++)
        {
            Plot plot = canvas.Panel(panel);
            for (int s = 0; s < series.Count; s++)
            {
                (string name, NumericTable table) = series[s];
                int xColumn = table.Column(x, name), yColumn = table.Column(y[panel], name);
                double[][] rows = table.Rows.Where(r => !double.IsNaN(r[yColumn])).OrderBy(r => r[xColumn]).ToArray();
                var line = plot.Add.ScatterLine(rows.Select(r => r[xColumn]).ToArray(), rows.Select(r => r[yColumn]).ToArray(), Palette[s % Palette.Length]);
                line.MarkerSize = 7;
                line.LegendText = name;
            }

            if (series.Count > 1)
            {
                plot.ShowLegend();
            }

            plot.Title(y[panel]);
            plot.XLabel(x);
        }

        return canvas;
    }
}

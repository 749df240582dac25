using System.CommandLine;
using FlowMatching.Io;
using ScottPlot;

namespace FlowMatching.Runtime.Cli.Figures;

/// <summary>The training and validation loss curves from the trainer's loss CSV.</summary>
public static class LossFigure
{
    public static Command Create()
    {
        Option<string> lossCsv = new("--loss-csv") { Description = "the trainer's loss CSV (step,loss,lr,val_loss)", Required = true };
        return FigureCommand.Create("loss", "The training loss curve", parse =>
        {
            string path = parse.GetValue(lossCsv)!;
            return Draw(NumericTable.Read(path, "step", "loss"), path);
        }, lossCsv);
    }

    /// <summary>Loss against the step column (and the validation loss at the steps it was measured), wherever the columns are.</summary>
    public static FigureCanvas Draw(NumericTable table, string path)
    {
        int step = table.Column("step", path);
        var canvas = new FigureCanvas(1);
        Plot plot = canvas.Panel(0);
        var loss = plot.Add.ScatterLine(table.Rows.Select(r => r[step]).ToArray(), table.Rows.Select(r => r[table.Column("loss", path)]).ToArray(), FigureCanvas.Purple);
        loss.LegendText = "training loss";
        if (table.Columns.Contains("val_loss"))
        {
            int column = table.Column("val_loss", path);
            var measured = table.Rows.Where(r => !double.IsNaN(r[column])).ToArray();
            var validation = plot.Add.ScatterLine(measured.Select(r => r[step]).ToArray(), measured.Select(r => r[column]).ToArray(), Colors.Orange);
            validation.LegendText = "validation loss";
            plot.ShowLegend();
        }

        plot.Title("Training loss");
        plot.XLabel("step");
        plot.YLabel("loss");
        return canvas;
    }
}

using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Distributions;
using FlowMatching.Interpolants;
using FlowMatching.Io;
using FlowMatching.Randomness;
using FlowMatching.Runtime.Figures;
using ScottPlot;

namespace FlowMatching.Runtime;

/// <summary>`runtime plot ...`: the tutorial's figures as PNG files, for any model and data.</summary>
public static class PlotCommand
{
    public static Command Create() => new("plot", "Draw the tutorial's figures as PNG")
    {
        Distributions(), InterpolantPanels(), Loss(), Samples(), Trajectories(),
    };

    private static Command Figure(string name, string description, Func<ParseResult, FigureCanvas> draw, params Option[] options)
    {
        Option<string> output = new("--out") { Description = "PNG file to write", Required = true };
        Option<int> width = CommandRunner.Option("--width", "image width in pixels", 1000);
        Option<int> height = CommandRunner.Option("--height", "image height in pixels", 500);
        Option<bool> force = CommandRunner.Option("--force", "overwrite an existing image", false);
        var command = new Command(name, description);
        foreach (Option option in options.Concat([output, width, height, force]))
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            int pixelsWide = parse.InRange(width, 100, 10000);
            int pixelsHigh = parse.InRange(height, 100, 10000);
            draw(parse).Save(parse.GetValue(output)!, pixelsWide, pixelsHigh, parse.GetValue(force));
            Console.Error.WriteLine($"runtime: wrote {parse.GetValue(output)} ({pixelsWide}x{pixelsHigh})");
            return 0;
        });
        return command;
    }

    private static Command Distributions()
    {
        Option<double> limit = LimitOption();
        Option<string> target = CommandRunner.Option("--target", "target distribution to draw from", "gmm8");
        Option<string?> data = CommandRunner.Option<string?>("--data", "draw these points as rho_1 instead (CSV)");
        Option<int> n = CommandRunner.Option("--n", "points per panel", 5000);
        Option<long> seed = CommandRunner.Option("--seed", "random seed", 0L);
        return Figure("distributions", "Samples of rho_0 beside samples of rho_1", parse =>
        {
            PointSet targetPoints = TargetPoints(parse.GetValue(data), parse.GetValue(target)!, parse.InRange(n, 1, 1_000_000), parse.GetValue(seed));
            PointSet basePoints = Draw(new StandardNormal(targetPoints.Dimension), targetPoints.Count, parse.GetValue(seed), Streams.BaseSamples);
            var canvas = new FigureCanvas(2);
            FigureCanvas.Cloud(canvas.Panel(0), basePoints, 0.3);
            FigureCanvas.Square(canvas.Panel(0), "Samples under ρ₀", 4);
            FigureCanvas.Cloud(canvas.Panel(1), targetPoints, 0.3);
            FigureCanvas.Square(canvas.Panel(1), "Samples under ρ₁", parse.GetValue(limit));
            return canvas;
        }, target, data, n, seed, limit);
    }

    private static Command InterpolantPanels()
    {
        Option<double> limit = LimitOption();
        Option<string> target = CommandRunner.Option("--target", "target distribution to draw from", "gmm8");
        Option<string?> data = CommandRunner.Option<string?>("--data", "use these points as x1 instead (CSV)");
        Option<string> interpolant = CommandRunner.Choice("--interpolant", "interpolant schedule", "linear", [.. InterpolantCatalog.Names]);
        Option<int> n = CommandRunner.Option("--n", "points per panel", 8000);
        Option<int> panels = CommandRunner.Option("--panels", "number of times from 0 to 1", 6);
        Option<long> seed = CommandRunner.Option("--seed", "random seed", 0L);
        return Figure("interpolant", "rho_t at t = 0, 0.2, ..., 1, drawn from the interpolant I_t = alpha x0 + beta x1", parse =>
        {
            IInterpolant schedule = InterpolantCatalog.Parse(parse.GetValue(interpolant)!);
            PointSet x1 = TargetPoints(parse.GetValue(data), parse.GetValue(target)!, parse.InRange(n, 1, 1_000_000), parse.GetValue(seed));
            PointSet x0 = Draw(new StandardNormal(x1.Dimension), x1.Count, parse.GetValue(seed), Streams.BaseSamples);
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

    private static Command Loss()
    {
        Option<string> lossCsv = new("--loss-csv") { Description = "the trainer's loss CSV (step,loss,lr,val_loss)", Required = true };
        return Figure("loss", "The training loss curve", parse =>
        {
            string path = parse.GetValue(lossCsv)!;
            NumericTable table = NumericTable.Read(path, "step", "loss");
            double[] steps = table.Rows.Select(r => r[table.Column("step", path)]).ToArray();
            var canvas = new FigureCanvas(1);
            Plot plot = canvas.Panel(0);
            var loss = plot.Add.ScatterLine(steps, table.Rows.Select(r => r[table.Column("loss", path)]).ToArray(), FigureCanvas.Purple);
            loss.LegendText = "training loss";
            if (table.Columns.Contains("val_loss"))
            {
                int column = table.Column("val_loss", path);
                var measured = table.Rows.Where(r => !double.IsNaN(r[column])).ToArray();
                var validation = plot.Add.ScatterLine(measured.Select(r => r[0]).ToArray(), measured.Select(r => r[column]).ToArray(), Colors.Orange);
                validation.LegendText = "validation loss";
                plot.ShowLegend();
            }

            plot.Title("Training loss");
            plot.XLabel("step");
            plot.YLabel("loss");
            return canvas;
        }, lossCsv);
    }

    private static Command Samples()
    {
        Option<double> limit = LimitOption();
        Option<string[]> samples = new("--samples") { Description = "sample CSVs, one panel each (repeat the flag)", Required = true, AllowMultipleArgumentsPerToken = true };
        Option<string[]> titles = new("--title") { Description = "panel titles in the same order", AllowMultipleArgumentsPerToken = true };
        return Figure("samples", "Sample clouds side by side (ODE beside SDE)", parse =>
        {
            string[] paths = parse.GetValue(samples)!;
            string[] names = parse.GetValue(titles) ?? [];
            if (names.Length != 0 && names.Length != paths.Length)
            {
                throw new UserInputException($"--title: {names.Length} titles for {paths.Length} sample files");
            }

            var canvas = new FigureCanvas(paths.Length);
            for (int p = 0; p < paths.Length; p++)
            {
                FigureCanvas.Cloud(canvas.Panel(p), FigureCanvas.Planar(PointCsv.Read(paths[p]), paths[p]), 0.08);
                FigureCanvas.Square(canvas.Panel(p), names.Length > 0 ? names[p] : Path.GetFileNameWithoutExtension(paths[p]), parse.GetValue(limit));
            }

            return canvas;
        }, samples, titles, limit);
    }

    private static Command Trajectories()
    {
        Option<double> limit = LimitOption();
        Option<string> trajectory = new("--trajectory") { Description = "trajectory CSV from `sample --trajectory` (step,t,id,x0,...)", Required = true };
        Option<string?> background = CommandRunner.Option<string?>("--samples", "draw these samples (CSV) as a faint density behind the curves");
        return Figure("trajectories", "Characteristic curves X_t from t = 0 to 1 over a faint cloud of their end points", parse =>
        {
            string path = parse.GetValue(trajectory)!;
            NumericTable table = NumericTable.Read(path, "step", "t", "id", "x0", "x1");
            int id = table.Column("id", path), x = table.Column("x0", path), y = table.Column("x1", path), step = table.Column("step", path);
            double lastStep = table.Rows.Max(r => r[step]);
            var canvas = new FigureCanvas(1);
            Plot plot = canvas.Panel(0);
            if (parse.GetValue(background) is { } samplesPath)
            {
                FigureCanvas.Cloud(plot, FigureCanvas.Planar(PointCsv.Read(samplesPath), samplesPath), 0.05);
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
            FigureCanvas.Square(plot, "Characteristics X_t, t from 0 to 1", parse.GetValue(limit));
            return canvas;
        }, trajectory, background, limit);
    }

    private static Option<double> LimitOption() => CommandRunner.Option("--limit", "axes span [-limit, limit]", 8.0);

    private static PointSet TargetPoints(string? data, string target, int n, long seed) => data is not null
        ? FigureCanvas.Planar(PointCsv.Read(data), data)
        : Draw(TargetCatalog.Parse(target), n, seed, Streams.TargetSamples);

    private static PointSet Draw(IDistribution distribution, int n, long seed, ulong stream)
    {
        var values = new float[n * distribution.Dimension];
        distribution.Sample(new RandomStream((ulong)seed, stream), values);
        return new PointSet(values, distribution.Dimension);
    }
}

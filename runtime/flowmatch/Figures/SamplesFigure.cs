using System.CommandLine;
using FlowMatching.Io;

namespace FlowMatching.Runtime.Cli.Figures;

/// <summary>Sample clouds side by side, e.g. ODE beside SDE.</summary>
public static class SamplesFigure
{
    public static Command Create()
    {
        Option<double> limit = FigureCommand.LimitOption();
        Option<string[]> samples = new("--samples") { Description = "sample CSVs, one panel each (repeat the flag)", Required = true, AllowMultipleArgumentsPerToken = true };
        Option<string[]> titles = new("--title") { Description = "panel titles in the same order", AllowMultipleArgumentsPerToken = true };
        return FigureCommand.Create("samples", "Sample clouds side by side (ODE beside SDE)", parse =>
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
                FigureCanvas.Cloud(canvas.Panel(p), FigureCanvas.ReadPlanar(paths[p]), 0.08);
                FigureCanvas.Square(canvas.Panel(p), names.Length > 0 ? names[p] : Path.GetFileNameWithoutExtension(paths[p]), FigureCommand.Limit(parse, limit));
            }

            return canvas;
        }, samples, titles, limit);
    }
}

using System.CommandLine;
using FlowMatching.Cli;

namespace FlowMatching.Runtime.Cli.Figures;

/// <summary>What every figure command shares: --out, --width, --height, --force and the axes limit.</summary>
public static class FigureCommand
{
    public static Command Create(string name, string description, Func<ParseResult, FigureCanvas> draw, params Option[] options)
    {
        Option<string> output = new("--out") { Description = "PNG file to write", Required = true };
        Option<int> width = CliOptions.Option("--width", "image width in pixels", 1000);
        Option<int> height = CliOptions.Option("--height", "image height in pixels", 500);
        Option<bool> force = CliOptions.Option("--force", "overwrite an existing image", false);
        var command = new Command(name, description);
        foreach (Option option in options.Concat([output, width, height, force]))
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellation) =>
        {
            int pixelsWide = parse.InRange(width, 100, 10000);
            int pixelsHigh = parse.InRange(height, 100, 10000);
            draw(parse).Save(parse.GetValue(output)!, pixelsWide, pixelsHigh, parse.GetValue(force));
            Console.Error.WriteLine($"{RuntimeCommands.Name}: wrote {parse.GetValue(output)} ({pixelsWide}x{pixelsHigh})");
            return 0;
        });
        return command;
    }

    public static Option<double> LimitOption() => CliOptions.Option("--limit", "axes span [-limit, limit]", 8.0);

    /// <summary>A positive span: a zero or negative one would draw an empty or inverted panel.</summary>
    public static double Limit(ParseResult parse, Option<double> limit) => parse.InRange(limit, 1e-6, 1e6);
}

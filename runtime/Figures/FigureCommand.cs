using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Distributions;
using FlowMatching.Io;
using FlowMatching.Randomness;

namespace FlowMatching.Runtime.Figures;

/// <summary>What every figure command shares: --out, --width, --height, --force, the axes limit, and where its points come from.</summary>
public static class FigureCommand
{
    public static Command Create(string name, string description, Func<ParseResult, FigureCanvas> draw, params Option[] options)
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

    public static Option<double> LimitOption() => CommandRunner.Option("--limit", "axes span [-limit, limit]", 8.0);

    public static PointSet TargetPoints(string? data, string target, int n, long seed) => data is not null
        ? FigureCanvas.Planar(PointCsv.Read(data), data)
        : Draw(TargetCatalog.Parse(target), n, seed, Streams.TargetSamples);

    public static PointSet Draw(IDistribution distribution, int n, long seed, ulong stream)
    {
        var values = new float[n * distribution.Dimension];
        distribution.Sample(new RandomStream((ulong)seed, stream), values);
        return new PointSet(values, distribution.Dimension);
    }
}

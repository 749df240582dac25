using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Distributions;
using FlowMatching.Io;
using FlowMatching.Randomness;

namespace FlowMatching.Runtime.Cli;

/// <summary>`flowmatch draw`: exact samples of a named target, as reference data for evaluate, logprob and plots.</summary>
public static class DrawCommand
{
    public static Command Create()
    {
        Option<string> target = CliOptions.Option("--target", "gmm8|checkerboard|moons|spirals|rings", "gmm8");
        Option<int> n = CliOptions.Option("--n", "number of points", 20000);
        Option<long> seed = CliOptions.Option("--seed", "random seed", 0L);
        Option<string> output = new("--out") { Description = "points CSV", Required = true };
        Option<bool> force = CliOptions.Option("--force", "overwrite an existing file", false);
        var command = new Command("draw", "Write exact samples of a target distribution to CSV") { target, n, seed, output, force };
        command.SetAction((parse, cancellation) =>
        {
            IDistribution distribution = TargetCatalog.Parse(parse.GetValue(target)!);
            var values = new float[parse.InRange(n, 1, 100_000_000) * distribution.Dimension];
            distribution.Sample(new RandomStream((ulong)parse.GetValue(seed), Streams.TargetSamples), values);
            PointCsv.Write(parse.GetValue(output)!, new PointSet(values, distribution.Dimension), parse.GetValue(force));
            return 0;
        });
        return command;
    }
}

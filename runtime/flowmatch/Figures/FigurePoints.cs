using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Distributions;
using FlowMatching.Io;
using FlowMatching.Randomness;

namespace FlowMatching.Runtime.Cli.Figures;

/// <summary>
/// Where a figure's rho_1 and rho_0 points come from: --target (drawn) or --data (a CSV), --n of them,
/// and the base N(0, I) points beside them, all seeded by --seed.
/// </summary>
public sealed class FigurePoints(int defaultCount, string dataDescription)
{
    private readonly Option<string> _target = CliOptions.Option("--target", "target distribution to draw from", "gmm8");
    private readonly Option<string?> _data = CliOptions.Option<string?>("--data", dataDescription);
    private readonly Option<int> _count = CliOptions.Option("--n", "points per panel", defaultCount);
    private readonly Option<long> _seed = CliOptions.Option("--seed", "random seed", 0L);

    public Option[] All => [_target, _data, _count, _seed];

    public PointSet Target(ParseResult parse) => parse.GetValue(_data) is { } data
        ? FigureCanvas.ReadPlanar(data)
        : Draw(TargetCatalog.Parse(parse.GetValue(_target)!), parse.InRange(_count, 1, 1_000_000), parse.GetValue(_seed), Streams.TargetSamples);

    public PointSet Base(ParseResult parse, PointSet like) =>
        Draw(new StandardNormal(like.Dimension), like.Count, parse.GetValue(_seed), Streams.BaseSamples);

    private static PointSet Draw(IDistribution distribution, int n, long seed, ulong stream)
    {
        var values = new float[n * distribution.Dimension];
        distribution.Sample(new RandomStream((ulong)seed, stream), values);
        return new PointSet(values, distribution.Dimension);
    }
}

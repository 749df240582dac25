using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Runtime.Integrators;

namespace FlowMatching.Runtime;

/// <summary>The dopri5 options every command that integrates the ODE shares.</summary>
public sealed class ToleranceOptions
{
    private static readonly Tolerances Defaults = new();

    private readonly Option<double> _relative = CommandRunner.Option("--rtol", "dopri5 relative tolerance", Defaults.Relative);
    private readonly Option<double> _absolute = CommandRunner.Option("--atol", "dopri5 absolute tolerance", Defaults.Absolute);
    private readonly Option<int> _maxSteps = CommandRunner.Option("--max-steps", "dopri5 step cap", Defaults.MaxSteps);

    public IEnumerable<Option> All => [_relative, _absolute, _maxSteps];

    public Tolerances Read(ParseResult parse) => new(
        parse.InRange(_relative, 1e-12, 1.0),
        parse.InRange(_absolute, 1e-12, 1.0),
        parse.InRange(_maxSteps, 1, 10_000_000));
}

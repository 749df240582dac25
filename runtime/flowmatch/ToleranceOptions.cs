using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Contract;
using FlowMatching.Runtime.Integrators;
using FlowMatching.Runtime.Options;

namespace FlowMatching.Runtime.Cli;

/// <summary>The ODE solver options every command that integrates the ODE shares: method, steps, dopri5's tolerances.</summary>
public sealed class ToleranceOptions
{
    private static readonly Tolerances Defaults = new();

    private readonly Option<double> _relative = CliOptions.Option("--rtol", "dopri5 relative tolerance", Defaults.Relative);
    private readonly Option<double> _absolute = CliOptions.Option("--atol", "dopri5 absolute tolerance", Defaults.Absolute);
    private readonly Option<int> _maxSteps = CliOptions.Option("--max-steps", "dopri5 step cap", Defaults.MaxSteps);

    public IEnumerable<Option> All => [_relative, _absolute, _maxSteps];

    /// <summary>The tolerances when any of their flags was given, else null (the method's defaults apply).</summary>
    public Tolerances? Read(ParseResult parse) => All.Any(parse.IsGiven)
        ? new Tolerances(parse.GetValue(_relative), parse.GetValue(_absolute), parse.GetValue(_maxSteps))
        : null;

    /// <summary>The solver of --method, with --steps only when given or when the method needs a count.</summary>
    public OdeSolverOptions Solver(ParseResult parse, OdeMethod method, Option<int> steps) => new()
    {
        Method = method,
        Steps = parse.IsGiven(steps) || method != OdeMethod.DormandPrince5 ? parse.GetValue(steps) : null,
        Tolerances = Read(parse),
    };
}

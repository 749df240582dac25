using FlowMatching.Cli;
using FlowMatching.Contract;
using FlowMatching.Interpolants;
using FlowMatching.Runtime.Options;

namespace FlowMatching.Runtime.Cli;

/// <summary>The runtime CLI's one name table: every typed choice's names, and every library setting's flag.</summary>
public static class CliChoices
{
    public static NameTable<SamplerKind> Samplers { get; } = new(("ode", SamplerKind.Ode), ("sde", SamplerKind.Sde));

    public static NameTable<OdeMethod> OdeMethods => Contract.OdeMethods.Names;

    public static NameTable<TimeGridKind> TimeGrids => TimeGridKinds.Names;

    public static NameTable<SdeMethod> SdeMethods { get; } = new(("em", SdeMethod.EulerMaruyama), ("heun", SdeMethod.StochasticHeun));

    public static NameTable<DiffusionSchedule> Diffusions { get; } = new(("alpha", DiffusionSchedule.Alpha), ("constant", DiffusionSchedule.Constant));

    public static NameTable<ExecutionProviderKind> Providers { get; } = new(
        ("auto", ExecutionProviderKind.Auto), ("cpu", ExecutionProviderKind.Cpu), ("cuda", ExecutionProviderKind.Cuda));

    public static NameTable<DivergenceEstimator> Divergences { get; } = new(("exact", DivergenceEstimator.Exact), ("hutchinson", DivergenceEstimator.Hutchinson));

    public static CliVocabulary Vocabulary { get; } = new(new Dictionary<string, string>
    {
        ["Steps"] = "--steps",
        ["Tolerances"] = "--rtol/--atol/--max-steps",
        ["RelativeTolerance"] = "--rtol",
        ["AbsoluteTolerance"] = "--atol",
        ["MaxSteps"] = "--max-steps",
        ["Eps"] = "--eps",
        ["Chunk"] = "--chunk",
        ["Probes"] = "--probes",
        ["Threads"] = "--threads",
        ["Provider"] = "--provider",
        ["Interpolant"] = "--interpolant",
        ["Target"] = "--target",
        ["Method"] = "--method",
        ["Samples"] = "--samples",
        ["Class"] = "--class",
        ["Guidance"] = "--guidance",
        ["Interval"] = "--guidance-interval",
        ["Autoguidance"] = "--autoguidance",
        ["TimeGrid"] = "--time-grid",
        ["Model"] = "--model",
        ["Classes"] = "--classes",
        ["Labels"] = "--labels",
        ["NullClass"] = "--null-class",
        ["ClassNames"] = "--class-names",
        ["ValueRange"] = "--data-range",
        ["Description"] = "--classes/--null-class/--class-names/--data-range",
    });
}

using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Contract;
using FlowMatching.Interpolants;
using FlowMatching.Io;
using FlowMatching.Progress;
using FlowMatching.Runtime.Options;
using FlowMatching.Runtime.Sampling;

namespace FlowMatching.Runtime.Cli;

/// <summary>
/// `flowmatch sample`: parse what was asked, resolve it against the model's recommendation (saying what was adopted),
/// and write points (CSV) or images (.npy and a PNG grid).
/// </summary>
public static class SampleCommand
{
    public static Command Create()
    {
        var sde = new SdeSamplingOptions();
        var modelOptions = new ModelOptions();
        Option<SamplerKind> sampler = CliOptions.Choice("--sampler", "probability-flow ODE or SDE", CliChoices.Samplers, SamplerKind.Ode);
        Option<string?> method = CliOptions.Option<string?>("--method", $"ODE: {string.Join("|", CliChoices.OdeMethods.Names)} (default: the model's recommendation, else euler); SDE: {string.Join("|", CliChoices.SdeMethods.Names)} (default em)");
        var solverOptions = new ToleranceOptions();
        Option<DiffusionSchedule> diffusion = CliOptions.Choice("--diffusion", "SDE diffusion: alpha (eps_t = eps alpha_t) or constant (eps_t = eps)", CliChoices.Diffusions, sde.Diffusion);
        Option<bool> denoise = CliOptions.Option("--denoise", "SDE: finish with a noise-free Euler step from 0.99 to 1", false);
        Option<int> steps = CliOptions.Recommendable("--steps", "integration steps (fixed-step methods)", sde.Steps);
        Option<TimeGridKind> timeGrid = CliOptions.Choice("--time-grid", "fixed-step ODE methods: uniform steps, or adapted to where the model's own dopri5 pilot stepped", CliChoices.TimeGrids, TimeGridKind.Uniform, modelRecommends: true);
        Option<double> eps = CliOptions.Option("--eps", "SDE diffusion scale eps (see --diffusion)", sde.Eps);
        Option<long> n = CliOptions.Option("--n", "number of samples", 20000L);
        Option<long> offset = CliOptions.Option("--offset", "index of the first sample (to split a job across runs)", 0L);
        Option<int?> chunk = CliOptions.Option<int?>("--chunk", $"points integrated at once (bounds memory; default {SamplingOptions.DefaultChunk} points, {SamplingOptions.DefaultImageChunk} images); changes no output except dopri5's, whose steps are chosen per chunk");
        Option<long> seed = CliOptions.Option("--seed", "random seed", 0L);
        Option<string?> init = CliOptions.Option<string?>("--init", "start from these points instead of N(0, I): CSV (d columns) or .npy (float32 or float64 [N, d], images [N, C, H, W]); overrides --n");
        Option<string> output = CliOptions.Option("--out", "the samples; the format follows the name: points as CSV (- for standard output) or NAME.npy; images as NAME.npy or NAME.png, writing both with NAME.labels.npy for classes", "samples.csv");
        Option<string?> trajectory = CliOptions.Option<string?>("--trajectory", "also write the paths of the first samples here (CSV step,t,id,x0,...)");
        Option<int> trajectoryCount = CliOptions.Option("--trajectory-count", "how many paths --trajectory records", 300);
        Option<bool> force = CliOptions.Option("--force", "overwrite existing output files", false);
        var guidanceOptions = new GuidanceOptions();
        var autoguidanceOptions = new AutoguidanceOptions();

        var command = new Command("sample", "Draw samples from a velocity model by integrating its ODE or SDE")
        {
            sampler, method, diffusion, denoise, steps, timeGrid, eps, n, offset, chunk, seed, init, output, trajectory, trajectoryCount, force,
        };
        foreach (Option option in solverOptions.All.Concat(guidanceOptions.All).Concat(autoguidanceOptions.All).Concat(modelOptions.All))
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellation) =>
        {
            SamplingOptions request = parse.GetValue(sampler) == SamplerKind.Ode
                ? OdeOptions(parse, method, steps, timeGrid, solverOptions, eps, diffusion, denoise)
                : SdeOptions(parse, method, steps, timeGrid, solverOptions, eps, diffusion, denoise);
            request = request with { Chunk = parse.InRange(chunk, 1, 100_000_000) };
            var run = new SampleRun(parse.InRange(n, 1, SampleRun.MaxCount), parse.InRange(offset, 0, SampleRun.MaxFirst), parse.GetValue(seed), parse.GetValue(output)!, parse.GetValue(force));
            // Fail on a bad setting before the model loads or any file is opened.
            request.Validate();

            using FlowModel model = modelOptions.Open(parse);
            if (model is SamplerGraphModel graph)
            {
                parse.Refuse($"does not apply to {model.Source}, a sampler graph that runs {graph.Method}", [sampler, method, steps, eps, diffusion, denoise, timeGrid, init, trajectory, .. solverOptions.All, .. autoguidanceOptions.All]);
            }

            if (model is FlowMapModel)
            {
                parse.Refuse($"does not apply to {model.Source}, a flow map that samples in --steps uniform steps of its own", [sampler, method, eps, diffusion, denoise, timeGrid, .. solverOptions.All, .. autoguidanceOptions.All]);
            }

            Conditioning? conditioning = model.SampleShape.Count == 3 ? guidanceOptions.Read(parse, model, run.First) : null;
            request = request with { Conditioning = conditioning, Autoguidance = model is SamplerGraphModel or FlowMapModel ? null : autoguidanceOptions.Read(parse) };
            SamplingOptions options = RecommendationReport.Resolve(model, request, cancellation);
            InputGuard.RefuseOverwriting(
                [("--out", run.Output), .. ImageSampling.Companions(run.Output).Select(c => ("--out", (string?)c)), ("--trajectory", parse.GetValue(trajectory))],
                [("--model", model.Source), ("--weak-model", options.Autoguidance?.WeakModel), ("--init", parse.GetValue(init)), ("--labels", guidanceOptions.LabelsPath(parse))]);
            if (model.SampleShape.Count == 3)
            {
                parse.Refuse("applies only to point models", trajectory);
                float[]? initial = parse.GetValue(init) is { } initPath ? ImageSampling.ReadInit(initPath, model) : null;
                return ImageSampling.Run(model, options, ImageSampling.Counted(run, initial, options, model), initial, Describe(options), cancellation);
            }

            guidanceOptions.Refuse(parse);
            var paths = new PointPaths(parse.GetValue(init), parse.GetValue(trajectory), parse.InRange(trajectoryCount, 1, 1_000_000));
            return PointSampling.Run(model, options, run, paths, Describe(options), cancellation);
        });
        return command;
    }

    // What was given, and nothing else: the model's recommendation fills the rest.
    private static OdeSamplingOptions OdeOptions(ParseResult parse, Option<string?> method, Option<int> steps, Option<TimeGridKind> timeGrid, ToleranceOptions solver, params Option[] sdeOnly)
    {
        parse.Refuse("applies only to --sampler sde", sdeOnly);
        OdeMethod? odeMethod = parse.GetValue(method) is { } name ? CliChoices.OdeMethods.Parse(name, "--method") : null;
        if (parse.IsGiven(timeGrid) && parse.GetValue(timeGrid) == TimeGridKind.Adapted && odeMethod == OdeMethod.DormandPrince5)
        {
            throw new UserInputException("--time-grid adapted: applies only to the fixed-step ODE methods (euler, midpoint, heun, rk4)");
        }

        return new OdeSamplingOptions
        {
            Solver = new OdeSolverOptions
            {
                Method = odeMethod,
                Steps = parse.IsGiven(steps) ? parse.GetValue(steps) : null,
                TimeGrid = parse.IsGiven(timeGrid) ? parse.GetValue(timeGrid) : null,
                Tolerances = solver.Read(parse),
            },
        };
    }

    private static SdeSamplingOptions SdeOptions(ParseResult parse, Option<string?> method, Option<int> steps, Option<TimeGridKind> timeGrid, ToleranceOptions solver, Option<double> eps, Option<DiffusionSchedule> diffusion, Option<bool> denoise)
    {
        if (parse.GetValue(timeGrid) == TimeGridKind.Adapted)
        {
            throw new UserInputException("--time-grid adapted: applies only to the fixed-step ODE methods (euler, midpoint, heun, rk4)");
        }

        parse.Refuse("applies only to --sampler ode --method dopri5", [.. solver.All]);
        return new SdeSamplingOptions
        {
            Method = CliChoices.SdeMethods.Parse(parse.GetValue(method) ?? "em", "--method"),
            Steps = parse.GetValue(steps),
            Eps = parse.GetValue(eps),
            Diffusion = parse.GetValue(diffusion),
            Denoise = parse.GetValue(denoise),
        };
    }

    public static string Describe(SamplingOptions options) => options switch
    {
        OdeSamplingOptions ode => $"ode {CliChoices.OdeMethods.Name(ode.Solver.Method ?? OdeMethod.Euler)}",
        SdeSamplingOptions sde => $"sde {CliChoices.SdeMethods.Name(sde.Method)}",
        _ => options.ToString(),
    } + (options.Autoguidance is { IsActive: true } autoguidance ? $", autoguidance {autoguidance.Weight}" : "");
}

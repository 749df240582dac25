using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Interpolants;
using FlowMatching.Io;
using FlowMatching.Progress;
using FlowMatching.Runtime.Options;
using FlowMatching.Runtime.Sampling;

namespace FlowMatching.Runtime;

/// <summary>`runtime sample`: draw samples from a velocity model with an ODE or SDE integrator, to CSV.</summary>
public static class SampleCommand
{
    public static Command Create()
    {
        var sde = new SdeSamplingOptions();
        var modelOptions = new ModelOptions();
        Option<SamplerKind> sampler = CommandRunner.Choice("--sampler", "probability-flow ODE or SDE", CliChoices.Samplers, SamplerKind.Ode);
        Option<string?> method = CommandRunner.Option<string?>("--method", $"ODE: {string.Join("|", CliChoices.OdeMethods.Names)} (default euler); SDE: {string.Join("|", CliChoices.SdeMethods.Names)} (default em)");
        var solverOptions = new ToleranceOptions();
        Option<DiffusionSchedule> diffusion = CommandRunner.Choice("--diffusion", "SDE diffusion: alpha (eps_t = eps alpha_t) or constant (eps_t = eps)", CliChoices.Diffusions, sde.Diffusion);
        Option<bool> denoise = CommandRunner.Option("--denoise", "SDE: finish with a noise-free Euler step from 0.99 to 1", false);
        Option<int> steps = CommandRunner.Option("--steps", "integration steps (fixed-step methods)", sde.Steps);
        Option<TimeGridKind> timeGrid = CommandRunner.Choice("--time-grid", "fixed-step ODE methods: uniform steps, or adapted to where the model's own dopri5 pilot stepped", CliChoices.TimeGrids, TimeGridKind.Uniform);
        Option<double> eps = CommandRunner.Option("--eps", "SDE diffusion scale eps (see --diffusion)", sde.Eps);
        Option<long> n = CommandRunner.Option("--n", "number of samples", 20000L);
        Option<long> offset = CommandRunner.Option("--offset", "index of the first sample (to split a job across runs)", 0L);
        Option<int?> chunk = CommandRunner.Option<int?>("--chunk", $"points integrated at once (bounds memory; default {SamplingOptions.DefaultChunk} points, {SamplingOptions.DefaultImageChunk} images); changes no output except dopri5's, whose steps are chosen per chunk");
        Option<long> seed = CommandRunner.Option("--seed", "random seed", 0L);
        Option<string?> init = CommandRunner.Option<string?>("--init", "start from these points (CSV, d columns) instead of N(0, I); overrides --n");
        Option<string> output = CommandRunner.Option("--out", "samples CSV (- for standard output)", "samples.csv");
        Option<string?> trajectory = CommandRunner.Option<string?>("--trajectory", "also write the paths of the first samples here (CSV step,t,id,x0,...)");
        Option<int> trajectoryCount = CommandRunner.Option("--trajectory-count", "how many paths --trajectory records", 300);
        Option<bool> force = CommandRunner.Option("--force", "overwrite existing output files", false);
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
            SamplingOptions options = parse.GetValue(sampler) == SamplerKind.Ode
                ? OdeOptions(parse, method, steps, solverOptions, eps, diffusion, denoise)
                : SdeOptions(parse, method, steps, solverOptions, eps, diffusion, denoise);
            options = options with { Chunk = parse.InRange(chunk, 1, 100_000_000) };
            long first = parse.InRange(offset, 0, long.MaxValue / 4);
            long seedValue = parse.GetValue(seed);
            // Fail on a bad setting before the model loads or any file is opened.
            options.Validate();

            using FlowModel model = modelOptions.Open(parse);
            if (model.SamplerGraph is { } unrolled)
            {
                parse.Refuse($"does not apply to {model.Source}, a sampler graph that runs {unrolled}", [sampler, method, steps, eps, diffusion, denoise, .. solverOptions.All, .. autoguidanceOptions.All]);
                options = new OdeSamplingOptions { Chunk = options.Chunk };
            }

            if (options is OdeSamplingOptions ode && model.RecommendedSolver is { } recommended && !parse.IsGiven(method))
            {
                // The model's measured best method; its steps (and their times) too unless --steps or --time-grid
                // says otherwise.
                int recommendedSteps = recommended.Grid is { } times ? times.Count - 1 : recommended.Steps!.Value;
                OdeSolverOptions solver = parse.IsGiven(steps) || parse.IsGiven(timeGrid)
                    ? recommended with { Steps = parse.IsGiven(steps) ? ode.Solver.Steps : recommendedSteps, Grid = null }
                    : recommended;
                options = ode with { Solver = solver };
                Console.Error.WriteLine($"runtime: {model.Source} recommends {Describe(options)} {solver.Steps ?? recommendedSteps} steps{(solver.Grid is null ? "" : " on an adapted time grid")}; --method, --steps and --time-grid choose others");
            }

            Conditioning? conditioning = model.SampleShape.Count == 3 ? guidanceOptions.Read(parse, model) : null;
            if (model.SamplerGraph is null)
            {
                options = options with { Autoguidance = autoguidanceOptions.Read(parse, model, conditioning) };
            }

            if (parse.GetValue(timeGrid) == TimeGridKind.Adapted)
            {
                if (options is not OdeSamplingOptions { Solver.IsAdaptive: false } fixedStep)
                {
                    throw new UserInputException("--time-grid adapted: applies only to the fixed-step ODE methods (euler, midpoint, heun, rk4)");
                }

                double[] grid = model.AdaptedTimeGrid(fixedStep.Solver.Steps ?? OdeSolverOptions.DefaultSteps, conditioning, cancellation);
                options = fixedStep with { Solver = fixedStep.Solver with { Steps = null, Grid = grid } };
                Console.Error.WriteLine($"runtime: adapted time grid {TimeGrid.Describe(grid)}");
            }

            if (model.SampleShape.Count == 3)
            {
                return ImageSampling.Run(parse, model, options with { Conditioning = conditioning },
                    parse.InRange(n, 1, long.MaxValue / 4), first, seedValue, parse.GetValue(output)!, parse.GetValue(force), Describe(options), cancellation, init, trajectory);
            }

            guidanceOptions.Refuse(parse);
            int d = model.Dimension;
            string? initPath = parse.GetValue(init);
            PointSet? initial = initPath is null ? null : PointCsv.Read(initPath, d);
            long count = initial?.Count ?? parse.InRange(n, 1, long.MaxValue / 4);
            string outputPath = parse.GetValue(output)!;
            using CsvTableWriter writer = outputPath == "-"
                ? CsvTableWriter.ToStream(Console.OpenStandardOutput(), "standard output", PointCsv.Header(d))
                : new CsvTableWriter(outputPath, PointCsv.Header(d), parse.GetValue(force));
            using CsvTableWriter? paths = parse.GetValue(trajectory) is { } trajectoryPath
                ? new CsvTableWriter(trajectoryPath, TrajectoryRecorder.Header(d), parse.GetValue(force))
                : null;
            var recorder = paths is null ? null : new TrajectoryRecorder(paths, first, parse.InRange(trajectoryCount, 1, 1_000_000), d, model.Scaling);
            PathObserver? observer = recorder is null ? null : (chunkFirst, step, t, x) => recorder.Record(step, t, x, chunkFirst);
            IEnumerable<SampleChunk> chunks = initial is null
                ? model.SampleChunks(count, options, seedValue, first, observer, cancellation)
                : model.TransportChunks(initial.Values, options, seedValue, first, observer, cancellation);
            int evaluations = 0;
            string name = Describe(options);
            ProgressReporter.Run("sample", count, progress =>
            {
                long done = 0;
                foreach (SampleChunk result in chunks)
                {
                    writer.WriteRows(result.Points, d);
                    evaluations = Math.Max(evaluations, result.Evaluations);
                    done += result.Count;
                    progress.Report(new WorkProgress(done, count, name));
                }
            });
            writer.Commit();
            paths?.Commit();
            Console.Error.WriteLine($"runtime: wrote {count} samples to {writer.Path} ({name}, NFE {evaluations} per point)");
            return 0;
        });
        return command;
    }

    private static OdeSamplingOptions OdeOptions(ParseResult parse, Option<string?> method, Option<int> steps, ToleranceOptions solver, params Option[] sdeOnly)
    {
        parse.Refuse("applies only to --sampler sde", sdeOnly);
        OdeMethod odeMethod = CliChoices.OdeMethods.Parse(parse.GetValue(method) ?? "euler", "--method");
        return new OdeSamplingOptions { Solver = solver.Solver(parse, odeMethod, steps) };
    }

    private static SdeSamplingOptions SdeOptions(ParseResult parse, Option<string?> method, Option<int> steps, ToleranceOptions solver, Option<double> eps, Option<DiffusionSchedule> diffusion, Option<bool> denoise)
    {
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

    private static string Describe(SamplingOptions options) => options switch
    {
        OdeSamplingOptions ode => $"ode {CliChoices.OdeMethods.Name(ode.Solver.Method)}",
        SdeSamplingOptions sde => $"sde {CliChoices.SdeMethods.Name(sde.Method)}",
        _ => options.ToString(),
    } + (options.Autoguidance is { IsActive: true } autoguidance ? $", autoguidance {autoguidance.Weight}" : "");
}

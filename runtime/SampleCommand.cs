using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Io;
using FlowMatching.Runtime.Integrators;
using FlowMatching.Runtime.Models;
using FlowMatching.Runtime.Sampling;

namespace FlowMatching.Runtime;

/// <summary>`runtime sample`: draw samples from a velocity model with an ODE or SDE integrator, to CSV.</summary>
public static class SampleCommand
{
    public static Command Create()
    {
        var defaults = new SamplerSettings();
        var modelOptions = new ModelOptions();
        Option<string> sampler = CommandRunner.Choice("--sampler", "probability-flow ODE or SDE", defaults.Kind, "ode", "sde");
        Option<string?> method = CommandRunner.Option<string?>("--method", $"ODE: {string.Join("|", OdeSolverCatalog.Names)} (default euler); SDE: {string.Join("|", SdeSolverCatalog.Names)} (default em)");
        var toleranceOptions = new ToleranceOptions();
        Option<string> diffusion = CommandRunner.Choice("--diffusion", "SDE diffusion: alpha (eps_t = eps alpha_t) or constant (eps_t = eps)", defaults.Diffusion, [.. SdeCoefficients.DiffusionNames]);
        Option<bool> denoise = CommandRunner.Option("--denoise", "SDE: finish with a noise-free Euler step from 0.99 to 1", false);
        Option<int> steps = CommandRunner.Option("--steps", "integration steps", defaults.Steps);
        Option<double> eps = CommandRunner.Option("--eps", "SDE diffusion scale eps (see --diffusion)", defaults.Eps);
        Option<long> n = CommandRunner.Option("--n", "number of samples", 20000L);
        Option<long> offset = CommandRunner.Option("--offset", "index of the first sample (to split a job across runs)", 0L);
        Option<int> chunk = CommandRunner.Option("--chunk", "points integrated at once (bounds memory)", defaults.Chunk);
        Option<long> seed = CommandRunner.Option("--seed", "random seed", defaults.Seed);
        Option<string?> init = CommandRunner.Option<string?>("--init", "start from these points (CSV, d columns) instead of N(0, I); overrides --n");
        Option<string> output = CommandRunner.Option("--out", "samples CSV", "samples.csv");
        Option<string?> trajectory = CommandRunner.Option<string?>("--trajectory", "also write the paths of the first samples here (CSV step,t,id,x0,...)");
        Option<int> trajectoryCount = CommandRunner.Option("--trajectory-count", "how many paths --trajectory records", 300);
        Option<bool> force = CommandRunner.Option("--force", "overwrite existing output files", false);

        var command = new Command("sample", "Draw samples from a velocity model by integrating its ODE or SDE")
        {
            sampler, method, diffusion, denoise, steps, eps, n, offset, chunk, seed, init, output, trajectory, trajectoryCount, force,
        };
        foreach (Option option in toleranceOptions.All.Concat(modelOptions.All))
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            string kind = parse.GetValue(sampler)!;
            var settings = new SamplerSettings
            {
                Kind = kind,
                Method = parse.GetValue(method) ?? (kind == "ode" ? "euler" : "em"),
                Steps = parse.InRange(steps, 1, 1_000_000),
                Eps = parse.InRange(eps, 0.0, 1e6),
                Seed = parse.GetValue(seed),
                Chunk = parse.InRange(chunk, 1, 100_000_000),
                Diffusion = parse.GetValue(diffusion)!,
                Denoise = parse.GetValue(denoise),
                Tolerances = toleranceOptions.Read(parse),
            };
            // Fail on a bad method before the model loads or any file is opened.
            _ = kind == "ode" ? OdeSolverCatalog.Create(settings.Method, settings.Steps) : null;
            _ = kind == "sde" ? SdeSolverCatalog.Rule(settings.Method) : null;

            long first = parse.InRange(offset, 0, long.MaxValue / 4);
            using VelocityModel velocity = modelOptions.Open(parse);
            string? initPath = parse.GetValue(init);
            PointSet? initial = initPath is null ? null : PointCsv.Read(initPath, velocity.Field.Dimension);
            long count = initial?.Count ?? parse.InRange(n, 1, long.MaxValue / 4);
            using var writer = new CsvTableWriter(parse.GetValue(output)!, PointCsv.Header(velocity.Field.Dimension), parse.GetValue(force));
            using CsvTableWriter? paths = parse.GetValue(trajectory) is { } trajectoryPath
                ? new CsvTableWriter(trajectoryPath, TrajectoryRecorder.Header(velocity.Field.Dimension), parse.GetValue(force))
                : null;
            var recorder = paths is null ? null : new TrajectoryRecorder(paths, first, parse.InRange(trajectoryCount, 1, 1_000_000), velocity.Field.Dimension, velocity.Scaling);
            long evaluations = 0;
            ProgressReporter.Run("sample", count, progress =>
                evaluations = new Sampler(velocity, settings).Run(first, count, initial, writer, progress, recorder));
            writer.Commit();
            paths?.Commit();
            Console.Error.WriteLine($"runtime: wrote {count} samples to {writer.Path} ({settings.Kind} {settings.Method}, NFE {evaluations} per point)");
            return 0;
        });
        return command;
    }
}

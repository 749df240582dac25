using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Io;
using FlowMatching.Runtime.Integrators;
using FlowMatching.Runtime.Models;
using FlowMatching.Runtime.Sampling;

namespace FlowMatching.Runtime;

/// <summary>`runtime logprob`: the model's log-density at given points, by the probability-flow ODE run backwards.</summary>
public static class LogProbCommand
{
    public static Command Create()
    {
        var modelOptions = new ModelOptions();
        Option<string> input = new("--in") { Description = "points CSV (d columns)", Required = true };
        Option<string> output = new("--out") { Description = "CSV of the input columns plus logp", Required = true };
        Option<string> method = CommandRunner.Choice("--method", "ODE method", "rk4", [.. OdeSolverCatalog.Names]);
        Option<int> steps = CommandRunner.Option("--steps", "steps for fixed-step methods", 100);
        var toleranceOptions = new ToleranceOptions();
        Option<string?> divergence = CommandRunner.Option<string?>("--divergence", "exact (trace by finite differences; default for d <= 16) or hutchinson");
        Option<int> probes = CommandRunner.Option("--probes", "Hutchinson probes a step", 4);
        Option<long> seed = CommandRunner.Option("--seed", "seed of the Hutchinson probes", 0L);
        Option<int> chunk = CommandRunner.Option("--chunk", "points integrated at once", 5000);
        Option<bool> force = CommandRunner.Option("--force", "overwrite an existing output file", false);
        var command = new Command("logprob", "log rho_1(x) of each input point, integrating the ODE from t = 1 to 0 with the divergence of b")
        {
            input, output, method, steps, divergence, probes, seed, chunk, force,
        };
        foreach (Option option in toleranceOptions.All.Concat(modelOptions.All))
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            IOdeSolver solver = OdeSolverCatalog.Create(parse.GetValue(method)!, parse.InRange(steps, 1, 1_000_000), toleranceOptions.Read(parse));
            using VelocityModel velocity = modelOptions.Open(parse);
            int d = velocity.Field.Dimension;
            string mode = parse.GetValue(divergence) ?? (d <= 16 ? "exact" : "hutchinson");
            if (mode is not ("exact" or "hutchinson"))
            {
                throw new UserInputException($"--divergence {mode}: expected exact or hutchinson");
            }

            PointSet points = PointCsv.Read(parse.GetValue(input)!, d);
            // A model of standardised data has its density in z = (x - mean) / std: evaluate there, then
            // change variables back to x.
            PointSet modelPoints = velocity.Scaling?.Apply(points) ?? points;
            double logDeterminant = velocity.Scaling?.LogDeterminant ?? 0;
            using var writer = new CsvTableWriter(parse.GetValue(output)!, [.. PointCsv.Header(d), "logp"], parse.GetValue(force));
            var likelihood = new LogLikelihood(velocity.Field, solver, mode == "hutchinson", parse.InRange(probes, 1, 10_000), parse.GetValue(seed));
            int size = parse.InRange(chunk, 1, 10_000_000);
            double total = 0;
            long evaluations = 0;
            ProgressReporter.Run("logprob", points.Count, progress =>
            {
                var logDensity = new double[size];
                for (int start = 0; start < points.Count; start += size)
                {
                    int count = Math.Min(size, points.Count - start);
                    evaluations = likelihood.Evaluate(modelPoints.Values.AsSpan(start * d, count * d), start, logDensity);
                    for (int i = 0; i < count; i++)
                    {
                        double logp = logDensity[i] + logDeterminant;
                        string[] fields = [.. points.Point(start + i).ToArray().Select(PointCsv.Format), PointCsv.Format(logp)];
                        writer.WriteRow(fields);
                        total += logp;
                    }

                    progress.Report(start + count, $"{mode} divergence");
                }
            });
            writer.Commit();
            Console.Out.WriteLine($"mean negative log-likelihood {-total / points.Count:F4} nats over {points.Count} points");
            Console.Error.WriteLine($"runtime: wrote {writer.Path} ({solver.Name}, {mode} divergence, NFE {evaluations} a chunk)");
            return 0;
        });
        return command;
    }
}

using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Contract;
using FlowMatching.Io;
using FlowMatching.Runtime.Options;
using FlowMatching.Runtime.Sampling;

namespace FlowMatching.Runtime.Cli;

/// <summary>`flowmatch logprob`: the model's log-density at given points, by the probability-flow ODE run backwards.</summary>
public static class LogProbCommand
{
    public static Command Create()
    {
        var defaults = new LikelihoodOptions();
        var modelOptions = new ModelOptions();
        Option<string> input = new("--in") { Description = "points CSV (d columns)", Required = true };
        Option<string> output = new("--out") { Description = "CSV of the input columns plus logp", Required = true };
        Option<OdeMethod> method = CliOptions.Choice("--method", "ODE method", CliChoices.OdeMethods, defaults.Solver.Method ?? OdeMethod.Euler);
        Option<int> steps = CliOptions.Option("--steps", "steps for fixed-step methods", defaults.Solver.Steps ?? OdeSolverOptions.DefaultSteps);
        var solverOptions = new ToleranceOptions();
        Option<DivergenceEstimator?> divergence = new("--divergence")
        {
            Description = $"exact (trace by finite differences; default for d <= {LikelihoodOptions.ExactDivergenceUpTo}) or hutchinson",
            CustomParser = result => CliChoices.Divergences.TryParse(result.Tokens[0].Value, out DivergenceEstimator value)
                ? value
                : Fail(result, $"--divergence {result.Tokens[0].Value}: expected exact or hutchinson"),
        };
        Option<int> probes = CliOptions.Option("--probes", "Hutchinson probes a step", 4);
        Option<long> seed = CliOptions.Option("--seed", "seed of the Hutchinson probes", 0L);
        Option<int> chunk = CliOptions.Option("--chunk", "points integrated at once; changes no output except dopri5's, whose steps are chosen per chunk", LikelihoodOptions.DefaultChunk);
        Option<bool> force = CliOptions.Option("--force", "overwrite an existing output file", false);
        var command = new Command("logprob", "log rho_1(x) of each input point, integrating the ODE from t = 1 to 0 with the divergence of b")
        {
            input, output, method, steps, divergence, probes, seed, chunk, force,
        };
        foreach (Option option in solverOptions.All.Concat(modelOptions.All))
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellation) =>
        {
            var options = new LikelihoodOptions
            {
                Solver = solverOptions.Solver(parse, parse.GetValue(method), steps),
                Divergence = parse.GetValue(divergence),
                Probes = parse.IsGiven(probes) ? parse.GetValue(probes) : null,
                Chunk = parse.InRange(chunk, 1, 10_000_000),
            };
            options.Solver.Validate();
            using VelocityModel model = modelOptions.OpenVelocity(parse);
            InputGuard.RefuseOverwriting([("--out", parse.GetValue(output))], [("--in", parse.GetValue(input)), ("--model", model.Source)]);
            int d = model.Dimension;
            options.Validate(d);
            PointSet points = PointCsv.Read(parse.GetValue(input)!, d);
            using var writer = new CsvTableWriter(parse.GetValue(output)!, [.. PointCsv.Header(d), "logp"], parse.GetValue(force));
            LogLikelihoodResult? result = null;
            ProgressReporter.Run("logprob", points.Count, progress =>
                result = model.LogLikelihood(points.Values, options, parse.GetValue(seed), progress, cancellation));
            for (int i = 0; i < points.Count; i++)
            {
                writer.WriteRow([.. points.Point(i).ToArray().Select(PointCsv.Format), PointCsv.Format(result!.LogDensity[i])]);
            }

            writer.Commit();
            Console.Out.WriteLine($"mean negative log-likelihood {result!.MeanNegativeLogLikelihood:F4} nats over {points.Count} points");
            string estimator = CliChoices.Divergences.Name(result.Estimator);
            Console.Error.WriteLine($"{RuntimeCommands.Name}: wrote {writer.Path} ({CliChoices.OdeMethods.Name(options.Solver.Method ?? OdeMethod.Euler)}, {estimator} divergence, NFE {result.Evaluations} a chunk)");
            return 0;
        });
        return command;
    }

    private static DivergenceEstimator? Fail(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return null;
    }
}

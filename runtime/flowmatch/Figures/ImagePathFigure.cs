using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Contract;
using FlowMatching.Runtime.Images;
using FlowMatching.Runtime.Options;
using FlowMatching.Runtime.Sampling;

namespace FlowMatching.Runtime.Cli.Figures;

/// <summary>
/// The tutorial's Figure 2 for an image model: for a few samples, snapshots of X_t along the probability-flow
/// ODE from noise (t = 0) to image (t = 1), a row per sample.
/// </summary>
public static class ImagePathFigure
{
    public static Command Create()
    {
        var modelOptions = new ModelOptions();
        Option<int> count = CliOptions.Option("--n", "samples, one row each", 4);
        Option<int> snapshots = CliOptions.Option("--snapshots", "images per row, evenly spaced in t from 0 to 1", 8);
        Option<int> steps = CliOptions.Option("--steps", "Euler steps", OdeSolverOptions.DefaultSteps);
        var guidanceOptions = new GuidanceOptions();
        var autoguidanceOptions = new AutoguidanceOptions();
        Option<long> seed = CliOptions.Option("--seed", "random seed", 0L);
        Option<string> output = new("--out") { Description = "PNG file to write", Required = true };
        Option<bool> force = CliOptions.Option("--force", "overwrite an existing image", false);
        var command = new Command("image-path", "Snapshots of image samples along the ODE, from noise to image (the tutorial's Figure 2)")
        {
            count, snapshots, steps, seed, output, force,
        };
        foreach (Option option in guidanceOptions.All.Concat(autoguidanceOptions.All).Concat(modelOptions.All))
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellation) =>
        {
            string path = parse.GetValue(output)!;
            if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            {
                throw new UserInputException($"--out {path}: figures are PNG files and must end in .png");
            }

            int rows = parse.InRange(count, 1, 100), columns = parse.InRange(snapshots, 2, 50), stepCount = parse.InRange(steps, 1, 10000);
            using FlowModel model = modelOptions.Open(parse);
            if (model.SampleShape.Count != 3)
            {
                throw new UserInputException($"--model {model.Source}: image-path draws image models; for points use plot trajectories");
            }

            int[] wanted = Enumerable.Range(0, columns).Select(c => (int)Math.Round(c * (double)stepCount / (columns - 1))).ToArray();
            var strips = Enumerable.Range(0, rows).Select(_ => new List<float[]>()).ToArray();
            var request = new OdeSamplingOptions
            {
                Solver = new OdeSolverOptions { Method = OdeMethod.Euler, Steps = stepCount },
                Conditioning = guidanceOptions.Read(parse, model, 0),
                Autoguidance = autoguidanceOptions.Read(parse),
            };
            SamplingOptions options = RecommendationReport.Resolve(model, request, cancellation);
            foreach (var _ in model.SampleChunks(rows, options, parse.GetValue(seed), observer: (first, step, t, points) =>
            {
                if (wanted.Contains(step))
                {
                    for (int i = 0; i < points.Length / model.Dimension; i++)
                    {
                        strips[first + i].Add(points.Slice(i * model.Dimension, model.Dimension).ToArray());
                    }
                }
            }, cancellationToken: cancellation))
            {
            }

            (double, double) range = model.Contract?.ValueRange is [var low, var high] ? (low, high) : (-1, 1);
            ImageGrid.Save(path, strips, model.SampleShape, range, parse.GetValue(force));
            Console.Error.WriteLine($"{RuntimeCommands.Name}: wrote {path} ({rows} samples, {columns} snapshots from t = 0 to 1)");
            return 0;
        });
        return command;
    }
}

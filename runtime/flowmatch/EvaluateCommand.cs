using System.CommandLine;
using System.Text;
using System.Text.Json;
using FlowMatching.Cli;
using FlowMatching.Distributions;
using FlowMatching.Io;
using FlowMatching.Metrics;

namespace FlowMatching.Runtime.Cli;

/// <summary>`flowmatch evaluate`: compare samples with their target distribution in numbers.</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        Option<string> samples = new("--samples") { Description = "samples to evaluate: points as CSV, images as .npy", Required = true };
        Option<string> target = CliOptions.Option("--target", $"target distribution: {string.Join("|", TargetCatalog.All)} (image samples: the default is fashion-mnist)", "gmm8");
        Option<long> seed = CliOptions.Option("--seed", "seed of the fresh target samples", 12345L);
        Option<int> maxPoints = CliOptions.Option("--max-points", "evaluate at most this many samples (pairwise statistics cost n^2)", 20000);
        Option<int> draws = CliOptions.Option("--target-draws", "average the discrepancies over this many independent target sets (one set alone scatters by tens of percent)", SampleEvaluation.DefaultTargetDraws);
        Option<string?> report = CliOptions.Option<string?>("--report", "also write the figures as JSON here");
        Option<bool> force = CliOptions.Option("--force", "overwrite an existing report", false);
        Option<string> classifier = CliOptions.Option("--classifier", "image samples: the feature classifier, a shipped model's name or a file (flowmatch-trainer classifier)", "fashion-mnist-classifier");
        Option<string?> data = CliOptions.Option<string?>("--data", "image samples: the folder of Fashion-MNIST's files");
        Option<int> trainCount = CliOptions.Option("--train-images", "image samples: training images for the memorisation reference", 10000);
        Option<bool> skipBad = CliOptions.Option("--skip-bad-images", "image samples: skip a folder:DIR target's images that cannot be decoded", false);
        var command = new Command("evaluate", "Energy distance and MMD against fresh target samples (beside their noise floors), and mode or square coverage")
        {
            samples, target, seed, maxPoints, draws, report, force, classifier, data, trainCount, skipBad,
        };
        command.SetAction((parse, cancellation) =>
        {
            string targetName = parse.GetValue(target)!;
            InputGuard.RefuseOverwriting([("--report", parse.GetValue(report))], [("--samples", parse.GetValue(samples)), ("--target", targetName.StartsWith(TargetCatalog.CsvPrefix, StringComparison.Ordinal) ? targetName[TargetCatalog.CsvPrefix.Length..] : null)]);
            if (parse.GetValue(samples)!.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            {
                parse.Refuse("applies to point samples (CSV)", seed, maxPoints, draws);
                // Image samples are scored against an image target; the option's default is the point one.
                targetName = parse.IsGiven(target) ? targetName : ImageTargets.FashionMnist;
                if (!ImageTargets.IsImageTarget(targetName))
                {
                    throw new UserInputException($"--target {targetName}: a point target, and {parse.GetValue(samples)} holds images; give an image target ({string.Join(", ", ImageTargets.Names)})");
                }

                if (!targetName.StartsWith(ImageTargets.FolderPrefix, StringComparison.Ordinal))
                {
                    parse.Refuse("applies only to folder:DIR targets", skipBad);
                }

                ImageEvaluation images = ImageEvaluating.Measure(parse.GetValue(samples)!, targetName, parse.GetValue(data), ShippedModels.Resolve(parse.GetValue(classifier)!), parse.InRange(trainCount, 10, 60000), parse.GetValue(skipBad), cancellation);
                Console.Out.Write(ImageEvaluating.Summary(parse.GetValue(samples)!, images));
                WriteReport(parse, report, force, images);
                return 0;
            }

            parse.Refuse("applies to image samples (.npy)", classifier, data, trainCount, skipBad);
            if (ImageTargets.IsImageTarget(targetName))
            {
                throw new UserInputException($"--target {targetName}: an image target, and {parse.GetValue(samples)} holds points (CSV); evaluate the images' .npy");
            }

            IDistribution distribution = TargetCatalog.Parse(targetName);
            string path = parse.GetValue(samples)!;
            PointSet points = PointCsv.Read(path, distribution.Dimension);
            int limit = parse.InRange(maxPoints, 10, 1_000_000);
            int targetDraws = parse.InRange(draws, 1, 100);
            SampleEvaluation? evaluation = null;
            ProgressReporter.Run("evaluate", targetDraws, progress => evaluation = SampleEvaluation.Measure(
                distribution, points, parse.GetValue(seed), limit, targetDraws, progress, cancellation));
            Console.Out.Write(Summary(path, evaluation!));
            WriteReport(parse, report, force, evaluation!);
            return 0;
        });
        return command;
    }

    private static void WriteReport<T>(ParseResult parse, Option<string?> report, Option<bool> force, T evaluation)
    {
        if (parse.GetValue(report) is { } reportPath)
        {
            AtomicFile.WriteAllBytes(reportPath, JsonSerializer.SerializeToUtf8Bytes(evaluation, new JsonSerializerOptions { WriteIndented = true }), parse.GetValue(force));
        }
    }

    public static string Summary(string source, SampleEvaluation e)
    {
        var text = new StringBuilder();
        string used = e.Count == e.SampleCount ? $"{e.Count} samples" : $"the first {e.Count} of {e.SampleCount} samples (coverage: all of them)";
        text.AppendLine($"{source}: {used} against {e.TargetDraws} fresh {e.Target} {(e.TargetDraws == 1 ? "set" : "sets")} of as many points (means over the sets)");
        text.AppendLine($"  energy distance {e.Energy:G4} (noise floor {e.EnergyFloor:G4}, ratio {e.EnergyRatio:F2}; one set alone: {e.EnergyRatioLowest:F2} to {e.EnergyRatioHighest:F2}; ratio 1: as close as a fresh set of the target)");
        text.AppendLine($"  MMD^2 (Gaussian kernel, h = {e.Bandwidth:F3}) {e.Mmd:G4} (noise floor {e.MmdFloor:G4})");
        if (e.Modes is { } modes)
        {
            text.AppendLine($"  modes within {modes.Radius} std: smallest {modes.Smallest:P2}, largest {modes.Largest:P2}, off-mode {modes.OffMode:P2}");
            text.AppendLine($"  per mode: {string.Join(" ", modes.Fractions.Select(f => f.ToString("P1")))}");
        }

        if (e.InsideSquares is { } inside)
        {
            text.AppendLine($"  inside the filled squares: {inside:P2}");
        }

        return text.ToString();
    }
}

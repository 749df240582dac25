using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Io;
using FlowMatching.Runtime.Images;

namespace FlowMatching.Runtime.Cli.Figures;

/// <summary>`flowmatch plot grid`: an existing .npy of images (float32 [N, C, H, W]) as a PNG grid, a row per class given --labels.</summary>
public static class GridFigure
{
    public static Command Create()
    {
        Option<string> samples = new("--samples") { Description = "images as NumPy .npy, float32 [N, C, H, W] (as flowmatch sample writes them)", Required = true };
        Option<string?> labels = CliOptions.Option<string?>("--labels", "their classes, int64 [N] (NAME.labels.npy): a row per class; none: a square grid");
        Option<string?> names = CliOptions.Option<string?>("--class-names", "NAME,NAME,...: the classes' names in class order, drawn beside their rows; default: the class numbers");
        Option<(double Low, double High)> range = CliOptions.Parsed("--range", "LOW,HIGH: the pixel values drawn black and white (the model's data range)", (-1.0, 1.0), ValueRangeText.TryParse, ValueRangeText.Expected);
        Option<int> scale = CliOptions.Option("--scale", "screen pixels per image pixel", 3);
        Option<string> output = new("--out") { Description = "PNG file to write", Required = true };
        Option<bool> force = CliOptions.Option("--force", "overwrite an existing image", false);
        var command = new Command("grid", "Draw image samples (.npy) as a PNG grid") { samples, labels, names, range, scale, output, force };
        command.SetAction((parse, cancellation) =>
        {
            string path = parse.GetValue(samples)!;
            string outPath = parse.GetValue(output)!;
            (double Low, double High) pixels = parse.GetValue(range);
            if (!path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            {
                throw new UserInputException($"--samples {path}: expected image samples as .npy (points in CSV are drawn by 'plot samples')");
            }

            (long[] shape, float[] values) = NpyFile.ReadFloat32(path);
            if (shape.Length != 4 || shape[1] is not (1 or 3))
            {
                throw new UserInputException($"--samples {path}: shape [{string.Join(", ", shape)}] is not images [N, C, H, W] with 1 or 3 channels");
            }

            long[]? classes = null;
            if (parse.GetValue(labels) is { } labelPath)
            {
                (long[] labelShape, classes) = NpyFile.ReadInt64(labelPath);
                if (labelShape.Length != 1 || labelShape[0] != shape[0] || classes.Any(c => c < 0))
                {
                    throw new UserInputException($"--labels {labelPath}: expected {shape[0]} class numbers (int64 [{shape[0]}]), not [{string.Join(", ", labelShape)}]");
                }
            }

            InputGuard.RefuseOverwriting([("--out", outPath)], [("--samples", path), ("--labels", parse.GetValue(labels))]);
            ImageGrid.Save(outPath, values, [(int)shape[1], (int)shape[2], (int)shape[3]], classes, pixels, parse.GetValue(force), parse.InRange(scale, 1, 32), parse.GetValue(names)?.Split(','));
            Console.Error.WriteLine($"{RuntimeCommands.Name}: wrote {outPath} ({Math.Min(shape[0], ImageGrid.MaxImages)} of {shape[0]} images)");
            return 0;
        });
        return command;
    }
}

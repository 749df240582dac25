using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Distributions;
using FlowMatching.Io;
using FlowMatching.Progress;

namespace FlowMatching.Training.Cli;

/// <summary>`flowmatch-trainer images`: an image target (Fashion-MNIST, an IDX set) written as a PNG class folder, the form users' own data takes.</summary>
public static class ImagesCommand
{
    public static Command Create()
    {
        Option<string> target = CliOptions.Option("--target", $"the image set to write: {string.Join(" or ", ImageTargets.Names)}", ImageTargets.FashionMnist);
        Option<string?> data = CliOptions.Option<string?>("--data", $"folder with Fashion-MNIST's IDX files (default {ImageTargets.FashionMnistFolder})");
        Option<bool> test = CliOptions.Option("--test", "write the test split instead of the training split", false);
        Option<string> output = new("--out") { Description = "the class folder to create (DIR/CLASS/NNNNN.png); it must not exist", Required = true };
        var command = new Command("images", "Write an image set as a PNG class folder (torchvision's ImageFolder layout), to train on as folder:DIR")
        {
            target, data, test, output,
        };
        command.SetAction((parse, cancellation) =>
        {
            string name = parse.GetValue(target)!;
            ImageDataset set = ImageTargets.Load(name, parse.GetValue(data), parse.GetValue(test), cancellation: cancellation);
            var bytes = new byte[(long)set.Count * set.Dimension];
            for (int i = 0; i < set.Count; i++)
            {
                ReadOnlySpan<float> image = set.Image(i);
                for (int j = 0; j < set.Dimension; j++)
                {
                    bytes[(long)i * set.Dimension + j] = (byte)Math.Round((image[j] - ImageDataset.PixelLow) * 255 / (ImageDataset.PixelHigh - ImageDataset.PixelLow));
                }
            }

            var pixels = new ImagePixels(set.Count, set.Height, set.Width, bytes) { Channels = set.Channels };
            string folder = parse.GetValue(output)!;
            ProgressReporter.Run("images", set.Count, progress => ImageFolderWriter.Write(folder, pixels, set.Labels, set.ClassNames,
                progress, cancellation));
            Console.Error.WriteLine($"{TrainerCommands.Name}: wrote {set.Count} images of {name} to {folder} ({(set.Labels is null ? "unlabelled" : $"{set.ClassNames.Count} class folders")})");
            return 0;
        });
        return command;
    }
}

using System.CommandLine;
using System.Diagnostics;
using FlowMatching.Cli;
using FlowMatching.Contract;
using FlowMatching.Distributions;
using FlowMatching.Io;
using FlowMatching.Progress;
using FlowMatching.Training.Network;
using FlowMatching.Training.Onnx;

namespace FlowMatching.Training.Cli;

/// <summary>`flowmatch-trainer classifier`: the feature classifier the image evaluation uses, trained, scored on the test split and exported.</summary>
public static class ClassifierCommand
{
    public static Command Create()
    {
        Option<string> target = CliOptions.Option("--target", $"a labelled image set: {string.Join(" or ", ImageTargets.Names)} (with labels)", ImageTargets.FashionMnist);
        Option<string?> test = CliOptions.Option<string?>("--test", "held-out set for the accuracy (default: the target's test split; a folder's is one image in ten per class)");
        var folderFlags = new ImageFolderFlags();
        Option<string?> data = CliOptions.Option<string?>("--data", $"folder with Fashion-MNIST's IDX files (default {ImageTargets.FashionMnistFolder})");
        Option<int> steps = CliOptions.Option("--steps", "optimisation steps", 2000);
        Option<int> batch = CliOptions.Option("--batch", "batch size", 128);
        Option<double> lr = CliOptions.Option("--lr", "Adam learning rate", 1e-3);
        Option<long> seed = CliOptions.Option("--seed", "random seed", 0L);
        Option<string> output = CliOptions.Option("--out", "the classifier model", Path.Combine("models", "fashion-mnist-classifier.onnx"));
        Option<bool> force = CliOptions.Option("--force", "overwrite an existing model", false);
        var command = new Command("classifier", "Train the small CNN whose features the image evaluation compares, and export it")
        {
            target, test, data, steps, batch, lr, seed, output, force,
        };
        foreach (Option option in folderFlags.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellation) =>
        {
            string name = parse.GetValue(target)!;
            if (!name.StartsWith(ImageTargets.FolderPrefix, StringComparison.Ordinal) && !(parse.GetValue(test)?.StartsWith(ImageTargets.FolderPrefix, StringComparison.Ordinal) ?? false))
            {
                parse.Refuse("applies only to folder:DIR targets", [.. folderFlags.All]);
            }

            ImageFolderOptions reading = folderFlags.Read(parse);
            ImageDataset train = ImageTargets.Load(name, parse.GetValue(data), reading: reading, cancellation: cancellation);
            if (train.Description is { } read)
            {
                Console.Error.WriteLine($"{TrainerCommands.Name}: {read}");
            }

            ImageDataset held = parse.GetValue(test) is { } testSpec
                ? ImageTargets.Load(testSpec, reading: reading, test: testSpec == name, cancellation: cancellation)
                : ImageTargets.Load(name, parse.GetValue(data), test: true, reading, cancellation);
            if (held.Channels != train.Channels || held.Height != train.Height || held.Width != train.Width)
            {
                throw new UserInputException($"--test {parse.GetValue(test)}: images of shape ({held.Channels}, {held.Height}, {held.Width}), the target's ({train.Channels}, {train.Height}, {train.Width})");
            }

            if (train.Labels is null || held.Labels is null)
            {
                throw new UserInputException($"--target {name}: a classifier needs labels (idx:IMAGES,LABELS)");
            }

            using AtomicFile model = AtomicFile.Create(parse.GetValue(output)!, parse.GetValue(force));
            int stepCount = parse.InRange(steps, 1, 10_000_000);
            var training = new ClassifierTraining(train, stepCount, parse.InRange(batch, 1, 100_000), parse.InRange(lr, 1e-9, 1), parse.GetValue(seed));
            (TorchSharp.torch.Device device, string where) = TorchDevice.Select(DeviceChoice.Auto);
            Console.Error.WriteLine($"{TrainerCommands.Name}: {where}");
            var clock = Stopwatch.StartNew();
            Classifier? network = null;
            double lastLoss = double.NaN;
            ProgressReporter.Run("classifier", stepCount, progress =>
                network = training.Train(device, (step, loss) =>
                {
                    lastLoss = loss;
                    progress.Report(new WorkProgress(step, stepCount, $"loss {loss:F4} {step / clock.Elapsed.TotalSeconds:F1} steps/s"));
                }, cancellation));
            using (network)
            {
                double accuracy = ClassifierTraining.Accuracy(network!, held, device);
                var contract = new ModelContract(TrainingContract.Producer, TrainingContract.ProducerVersion, null, train.Dimension, "none", train.Name,
                    [32, 64, Classifier.FeatureWidth], "relu", stepCount, parse.GetValue(batch), parse.GetValue(seed), lastLoss)
                {
                    TestAccuracy = accuracy,
                    NetworkKind = NetworkKind.Classifier,
                    Shape = [train.Channels, train.Height, train.Width],
                    ValueRange = [ImageDataset.PixelLow, ImageDataset.PixelHigh],
                    ClassNames = train.ClassNames,
                };
                model.Write(ClassifierExporter.Export(network!, contract));
                model.Commit();
                Console.Error.WriteLine($"{TrainerCommands.Name}: {stepCount} steps in {clock.Elapsed.TotalSeconds:F0}s; test accuracy {accuracy:P2} on {held.Count} images; wrote {model.Path}");
            }

            return 0;
        });
        return command;
    }
}

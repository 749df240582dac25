using System.CommandLine;
using System.Globalization;
using FlowMatching.Cli;
using FlowMatching.Distributions;
using FlowMatching.Interpolants;
using FlowMatching.Training.Network;
using FlowMatching.Training.Training;

namespace FlowMatching.Training;

/// <summary>`trainer train`: fit a velocity field on a target and export it to ONNX.</summary>
public static class TrainCommand
{
    private static readonly NameTable<DeviceChoice> Devices = new(("auto", DeviceChoice.Auto), ("cpu", DeviceChoice.Cpu), ("cuda", DeviceChoice.Cuda));

    public static Command Create()
    {
        var defaults = new TrainingOptions();
        Option<string> target = CommandRunner.Option("--target", $"target distribution: {string.Join("|", TargetCatalog.Names)}", defaults.Target);
        Option<string> interpolant = CommandRunner.Choice("--interpolant", "interpolant schedule", defaults.Interpolant, [.. InterpolantCatalog.Names]);
        Option<int> steps = CommandRunner.Option("--steps", "optimisation steps", defaults.Steps);
        Option<int> batch = CommandRunner.Option("--batch", "batch size", defaults.Batch);
        Option<double> lr = CommandRunner.Option("--lr", "Adam learning rate", defaults.LearningRate);
        Option<int> lrStep = CommandRunner.Option("--lr-step", "StepLR step size (steps)", defaults.LearningRateStep);
        Option<double> lrGamma = CommandRunner.Option("--lr-gamma", "StepLR decay factor", defaults.LearningRateGamma);
        Option<string> hidden = CommandRunner.Option("--hidden", "hidden layer widths, comma separated", string.Join(",", defaults.Hidden));
        Option<string> activation = CommandRunner.Choice("--activation", "hidden activation", defaults.Activation, [.. Activations.Names]);
        Option<long> seed = CommandRunner.Option("--seed", "random seed (same seed, same model bytes)", defaults.Seed);
        Option<string?> output = CommandRunner.Option<string?>("--out", "model path (default models/trained/<target>.onnx)");
        Option<string?> lossCsv = CommandRunner.Option<string?>("--loss-csv", "write step,loss,lr,val_loss here");
        Option<int> validationBatch = CommandRunner.Option("--validation-batch", "held-out batch size (0: none)", defaults.ValidationBatch);
        Option<int> validationEvery = CommandRunner.Option("--validation-every", "steps between validation losses", defaults.ValidationEvery);
        Option<DeviceChoice> device = CommandRunner.Choice("--device", "TorchSharp device", Devices, defaults.Device);
        Option<string> timeEmbedding = CommandRunner.Option("--time-embedding", "how t enters the network: none or fourier:K", defaults.TimeEmbedding);
        Option<string?> checkpoint = CommandRunner.Option<string?>("--checkpoint", "save resumable checkpoints here (default on Ctrl-C: <out>.ckpt)");
        Option<int> checkpointEvery = CommandRunner.Option("--checkpoint-every", "steps between checkpoints (0: only on Ctrl-C)", 0);
        Option<string?> resume = CommandRunner.Option<string?>("--resume", "continue the run saved in this checkpoint (its options are used; --steps may extend it)");
        Option<double> ema = CommandRunner.Option("--ema", "export an exponential moving average of the weights with this decay (0: off)", defaults.EmaDecay);
        Option<bool> force = CommandRunner.Option("--force", "overwrite existing output files", false);

        var command = new Command("train", "Train a velocity field with the stochastic-interpolant loss and export it to ONNX")
        {
            target, interpolant, steps, batch, lr, lrStep, lrGamma, hidden, activation, seed, output, lossCsv,
            validationBatch, validationEvery, device, ema, timeEmbedding, checkpoint, checkpointEvery, resume, force,
        };
        command.SetAction((parse, cancellation) =>
        {
            var options = new TrainingOptions
            {
                Target = parse.GetValue(target)!,
                Interpolant = parse.GetValue(interpolant)!,
                Steps = parse.InRange(steps, 1, 10_000_000),
                Batch = parse.InRange(batch, 1, 10_000_000),
                LearningRate = parse.InRange(lr, 1e-12, 1e6),
                LearningRateStep = parse.InRange(lrStep, 1, int.MaxValue),
                LearningRateGamma = parse.InRange(lrGamma, 1e-12, 1.0),
                Hidden = ParseHidden(parse.GetValue(hidden)!),
                Activation = parse.GetValue(activation)!,
                Seed = parse.GetValue(seed),
                ValidationBatch = parse.InRange(validationBatch, 0, 10_000_000),
                ValidationEvery = parse.InRange(validationEvery, 1, int.MaxValue),
                Device = parse.GetValue(device),
                EmaDecay = parse.InRange(ema, 0.0, 0.999999),
                TimeEmbedding = TimeEmbedding.Parse(parse.GetValue(timeEmbedding)!).ToString(),
            };
            string? resumeFrom = parse.GetValue(resume);
            if (resumeFrom is not null)
            {
                CheckpointHeader header = TrainingCheckpoint.ReadHeader(resumeFrom);
                options = header.Options with { Steps = parse.GetResult(steps) is { Implicit: false } ? options.Steps : header.Options.Steps };
                Console.Error.WriteLine($"trainer: resuming {resumeFrom} after step {header.Step} of {options.Steps}");
            }

            string modelPath = parse.GetValue(output) ?? Path.Combine("models", "trained", $"{DefaultModelName(options.Target)}.onnx");
            int every = parse.InRange(checkpointEvery, 0, int.MaxValue);
            var checkpoints = new CheckpointPolicy(parse.GetValue(checkpoint) ?? modelPath + ".ckpt", every, resumeFrom, SaveFinal: true);
            bool asked = parse.IsGiven(checkpoint) || every > 0 || resumeFrom is not null;
            return new TrainingJob(options, modelPath, parse.GetValue(lossCsv), parse.GetValue(force), checkpoints, asked).Run(cancellation);
        });
        return command;
    }

    // csv:/data/cells.csv trains models/trained/cells.onnx; a named target trains models/trained/<name>.onnx.
    private static string DefaultModelName(string target) => target.StartsWith(TargetCatalog.CsvPrefix, StringComparison.Ordinal)
        ? Path.GetFileNameWithoutExtension(target[TargetCatalog.CsvPrefix.Length..])
        : target;

    public static IReadOnlyList<int> ParseHidden(string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1 || sizes[i] > 65536)
            {
                throw new UserInputException($"--hidden '{text}': expected positive layer widths like 512,512,512");
            }
        }

        return sizes;
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using FlowMatching.Cli;
using FlowMatching.Contract;
using FlowMatching.Distributions;
using FlowMatching.Interpolants;
using FlowMatching.Io;
using FlowMatching.Training.Network;
using FlowMatching.Training.Onnx;
using FlowMatching.Training.Training;

namespace FlowMatching.Training;

/// <summary>`trainer train`: fit a velocity field on a target and export it to ONNX.</summary>
public static class TrainCommand
{
    public static string ProducerVersion { get; } =
        typeof(TrainCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The shell's code for a run ended by SIGINT.</summary>
    public const int InterruptedExitCode = 130;

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
        Option<string> device = CommandRunner.Choice("--device", "TorchSharp device", defaults.Device, "auto", "cpu", "cuda");
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
        command.SetAction(parse =>
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
                Device = parse.GetValue(device)!,
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
            var checkpoints = new CheckpointPolicy(parse.GetValue(checkpoint) ?? modelPath + ".ckpt", parse.InRange(checkpointEvery, 0, int.MaxValue), resumeFrom);
            return Run(options, modelPath, parse.GetValue(lossCsv), parse.GetValue(force), checkpoints);
        });
        return command;
    }

    private static int Run(TrainingOptions options, string modelPath, string? lossCsvPath, bool force, CheckpointPolicy checkpoints)
    {
        IDistribution target = TargetCatalog.Parse(options.Target);
        Standardization? scaling = null;
        if (target is EmpiricalDistribution data)
        {
            scaling = Standardization.Fit(data.Points, options.Target[TargetCatalog.CsvPrefix.Length..]);
            target = new EmpiricalDistribution(data.Name, scaling.Apply(data.Points));
        }

        if (!modelPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            throw new UserInputException($"--out {modelPath}: a model file must end in .onnx");
        }

        // Open both outputs before training, so a bad path fails in a second, not after the run.
        using AtomicFile model = AtomicFile.Create(modelPath, force);
        using CsvTableWriter? lossLog = lossCsvPath is null ? null : new CsvTableWriter(lossCsvPath, ["step", "loss", "lr", "val_loss"], force);

        var clock = Stopwatch.StartNew();
        TrainingStep? last = null;
        int? firstStep = null;
        VelocityNetwork? network = null;
        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            e.Cancel = true;
            interrupt.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        try
        {
            ProgressReporter.Run("train", options.Steps, progress =>
            {
                network = new Trainer(options, target).Train(TorchDevice.Select(options.Device), checkpoints, step =>
                {
                    last = step;
                    firstStep ??= step.Step;
                    lossLog?.WriteRow(step.Step.ToString(CultureInfo.InvariantCulture), PointCsv.Format(step.Loss), PointCsv.Format(step.LearningRate),
                        step.ValidationLoss is { } v ? PointCsv.Format(v) : "");
                    string validation = step.ValidationLoss is { } vl ? $" val {vl:F4}" : "";
                    progress.Report(step.Step, $"loss {step.Loss:F4}{validation} {(step.Step - firstStep + 1) / clock.Elapsed.TotalSeconds:F1} steps/s");
                }, interrupt.Token);
            });
        }
        catch (TrainingDivergedException e)
        {
            string kept = checkpoints.Every > 0 && File.Exists(checkpoints.Path) ? $"; the last good checkpoint is {checkpoints.Path}" : "";
            throw new UserInputException(e.Message + kept, e);
        }
        catch (TrainingInterruptedException e)
        {
            Console.Error.WriteLine($"trainer: {e.Message}; continue with: trainer train --resume {e.Checkpoint} --out {modelPath}");
            return InterruptedExitCode;
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }

        using (network)
        {
            var metadata = new ModelContract(
                "FlowMatching.Trainer", ProducerVersion, options.Interpolant, target.Dimension, "normal(0,I)", target.Name,
                options.Hidden, options.Activation, options.Steps, options.Batch, options.Seed, last?.Loss ?? double.NaN)
            {
                EmaDecay = options.EmaDecay,
                TimeEmbedding = options.TimeEmbedding,
                DataMean = scaling?.Mean ?? [],
                DataStd = scaling?.Std ?? [],
            };
            byte[] bytes = Google.Protobuf.MessageExtensions.ToByteArray(OnnxExporter.ToModel(network!.ToWeights(), metadata.ToProperties(), ProducerVersion));
            model.Stream.Write(bytes);
            model.Commit();
            lossLog?.Commit();
        }

        Console.Error.WriteLine($"trainer: {options.Steps} steps in {clock.Elapsed.TotalSeconds:F1}s, final loss {last?.Loss:F4}; wrote {modelPath}" +
            (lossCsvPath is null ? "" : $" and {lossCsvPath}"));
        return 0;
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

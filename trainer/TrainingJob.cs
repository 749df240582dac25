using System.Diagnostics;
using System.Globalization;
using FlowMatching.Cli;
using FlowMatching.Io;
using FlowMatching.Progress;
using FlowMatching.Training.Network;
using FlowMatching.Training.Onnx;
using FlowMatching.Training.Training;

namespace FlowMatching.Training;

/// <summary>
/// One `trainer train` run as the command line sees it: outputs opened before any work (so a bad path
/// fails in a second), Ctrl-C turned into a checkpoint, progress on stderr, then the export.
/// </summary>
public sealed class TrainingJob(TrainingOptions options, string modelPath, string? lossCsvPath, bool force, CheckpointPolicy checkpoints)
{
    /// <summary>The shell's code for a run ended by SIGINT.</summary>
    public const int InterruptedExitCode = 130;

    public int Run()
    {
        TrainingData data = TrainingData.Load(options.Target);
        if (!modelPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            throw new UserInputException($"--out {modelPath}: a model file must end in .onnx");
        }

        using AtomicFile model = AtomicFile.Create(modelPath, force);
        using CsvTableWriter? lossLog = lossCsvPath is null ? null : new CsvTableWriter(lossCsvPath, ["step", "loss", "lr", "val_loss"], force);
        var clock = Stopwatch.StartNew();
        TrainingStep? last;
        VelocityNetwork network;
        try
        {
            (network, last) = Train(data, lossLog, clock);
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

        using (network)
        {
            var contract = TrainingContract.Build(options, data.Target.Dimension, data.Target.Name, data.Scaling, last?.Loss ?? double.NaN);
            model.Stream.Write(OnnxExporter.Export(network.ToWeights(), contract));
            model.Commit();
            lossLog?.Commit();
        }

        Console.Error.WriteLine($"trainer: {options.Steps} steps in {clock.Elapsed.TotalSeconds:F1}s, final loss {last?.Loss:F4}; wrote {modelPath}" +
            (lossCsvPath is null ? "" : $" and {lossCsvPath}"));
        return 0;
    }

    private (VelocityNetwork Network, TrainingStep? Last) Train(TrainingData data, CsvTableWriter? lossLog, Stopwatch clock)
    {
        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            e.Cancel = true;
            interrupt.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        try
        {
            (TorchSharp.torch.Device device, string where) = TorchDevice.Select(options.Device);
            Console.Error.WriteLine($"trainer: {where}");
            TrainingStep? last = null;
            int? firstStep = null;
            VelocityNetwork? network = null;
            ProgressReporter.Run("train", options.Steps, progress =>
                network = new Trainer(options, data.Target).Train(device, checkpoints, step =>
                {
                    last = step;
                    firstStep ??= step.Step;
                    lossLog?.WriteRow(step.Step.ToString(CultureInfo.InvariantCulture), PointCsv.Format(step.Loss), PointCsv.Format(step.LearningRate),
                        step.ValidationLoss is { } v ? PointCsv.Format(v) : "");
                    string validation = step.ValidationLoss is { } vl ? $" val {vl:F4}" : "";
                    progress.Report(new WorkProgress(step.Step, options.Steps, $"loss {step.Loss:F4}{validation} {(step.Step - firstStep + 1) / clock.Elapsed.TotalSeconds:F1} steps/s"));
                }, interrupt.Token));
            return (network!, last);
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }
    }
}

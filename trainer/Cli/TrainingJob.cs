using System.Diagnostics;
using FlowMatching.Cli;
using FlowMatching.Errors;
using FlowMatching.Io;
using FlowMatching.Progress;
using FlowMatching.Training.Network;
using FlowMatching.Training.Onnx;

namespace FlowMatching.Training.Cli;

/// <summary>
/// One `flowmatch-trainer train` run as the command line sees it: every output path checked before any work (so a bad
/// path fails in a second), signals turned into a checkpoint, progress on stderr, the loss log written as it
/// goes, a final checkpoint before the export so a failed export loses nothing, then the export.
/// </summary>
public sealed class TrainingJob(TrainingOptions options, string modelPath, string? lossCsvPath, bool force, CheckpointPolicy checkpoints, bool checkpointAsked)
{
    /// <summary>Trains, checkpointing and returning <see cref="CommandRunner.Interrupted"/> when a signal cancels the run.</summary>
    public int Run(CancellationToken cancellation)
    {
        TrainingData data = TrainingData.Load(options, cancellation);
        if (data.Target is Distributions.ImageDataset { Description: { } read })
        {
            Console.Error.WriteLine($"{TrainerCommands.Name}: {read}");
        }

        CheckpointHeader? resumed = checkpoints.Resume is { } resume ? CheckResume(resume, data) : null;
        if (!modelPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            throw new UserInputException($"--out {modelPath}: a model file must end in .onnx");
        }

        using AtomicFile model = AtomicFile.Create(modelPath, force);
        string checkpointPath = checkpoints.Path!;
        bool checkpointExisted = CheckCheckpointPath(checkpointPath);
        using LossLog? lossLog = lossCsvPath is null ? null : LossLog.Open(lossCsvPath, force, resumed?.Step);
        var clock = Stopwatch.StartNew();
        TrainingStep? last;
        IFieldNetwork network;
        string? saved;
        try
        {
            (network, last, saved) = Train(data, lossLog, clock, cancellation);
        }
        catch (TrainingDivergedException e)
        {
            string kept = checkpoints.Every > 0 && File.Exists(checkpointPath) ? $"; the last good checkpoint is {checkpointPath}" : "";
            throw new UserInputException(e.Message + kept, e);
        }
        catch (TrainingInterruptedException e)
        {
            // A resumed run takes its training options from the checkpoint but its checkpointing from the command
            // line: the command to continue repeats it, or the periodic checkpoints would silently stop.
            string loss = lossCsvPath is null ? "" : $" --loss-csv {lossCsvPath}";
            string place = e.Checkpoint == modelPath + ".ckpt" ? "" : $" --checkpoint {e.Checkpoint}";
            string every = checkpoints.Every > 0 ? $" --checkpoint-every {checkpoints.Every}" : "";
            Console.Error.WriteLine($"{TrainerCommands.Name}: {e.Message}; continue with: flowmatch-trainer train --resume {e.Checkpoint} --out {modelPath}{loss}{place}{every}");
            return CommandRunner.Interrupted;
        }

        using (network)
        {
            var contract = TrainingContract.Build(options, data.Target, data.Scaling, last?.Loss ?? double.NaN);
            try
            {
                model.Write(ModelExport.Export(network, contract));
                model.Commit();
            }
            catch (OutputFileException e)
            {
                throw new UserInputException($"{e.Message}; the trained run is saved in {saved}: export it with: flowmatch-trainer export --checkpoint {saved} --out {modelPath}", e);
            }
        }

        // The final checkpoint only guarded the export: keep it only where the user asked for checkpoints or had one there.
        if (!checkpointAsked && !checkpointExisted && saved == checkpointPath)
        {
            File.Delete(checkpointPath);
        }
        else if (saved != checkpointPath)
        {
            Console.Error.WriteLine($"{TrainerCommands.Name}: {checkpointPath} could not be written; the final checkpoint is in {saved}");
        }

        Console.Error.WriteLine($"{TrainerCommands.Name}: {options.Steps} steps in {clock.Elapsed.TotalSeconds:F1}s, final loss {last?.Loss:F4}; wrote {modelPath}" +
            (lossCsvPath is null ? "" : $" and {lossCsvPath}"));
        return 0;
    }

    private CheckpointHeader CheckResume(ResumePoint resumePoint, TrainingData data)
    {
        (string resume, CheckpointHeader header) = resumePoint;
        data.RequireSameAs(header, resume, "resume on the same data or start a new run");

        if (options.Steps <= header.Step)
        {
            throw new UserInputException($"--steps {options.Steps}: the checkpoint {resume} is already at step {header.Step}; give more steps to continue it");
        }

        return header;
    }

    // Refuses to replace a checkpoint that is not this run's own (the one it resumes) unless --force, and
    // finds an unwritable folder now rather than at Ctrl-C. Returns whether a file was there.
    private bool CheckCheckpointPath(string path)
    {
        bool exists = File.Exists(path);
        bool own = checkpoints.Resume is { } resume && Path.GetFullPath(resume.Path) == Path.GetFullPath(path);
        if (exists && !own && !force)
        {
            throw new UserInputException($"{path}: a checkpoint is already there; resume it with --resume {path}, or pass --force to replace it");
        }

        using (AtomicFile.Create(path, overwrite: true))
        {
        }

        return exists;
    }

    private (IFieldNetwork Network, TrainingStep? Last, string? Saved) Train(TrainingData data, LossLog? lossLog, Stopwatch clock, CancellationToken cancellation)
    {
        (TorchSharp.torch.Device device, string where) = TorchDevice.Select(options.Device);
        Console.Error.WriteLine($"{TrainerCommands.Name}: {where}");
        TrainingStep? last = null;
        int? firstStep = null;
        IFieldNetwork? network = null;
        var trainer = new Trainer(options, data.Target, data.Fingerprint);
        ProgressReporter.Run("train", options.Steps, progress =>
            network = trainer.Train(device, checkpoints, step =>
            {
                last = step;
                firstStep ??= step.Step;
                lossLog?.Write(step);
                string validation = step.ValidationLoss is { } vl ? $" val {vl:F4}" : "";
                progress.Report(new WorkProgress(step.Step, options.Steps, $"loss {step.Loss:F4}{validation} {(step.Step - firstStep + 1) / clock.Elapsed.TotalSeconds:F1} steps/s"));
            }, cancellation), start: checkpoints.Resume?.Header.Step ?? 0);
        return (network!, last, trainer.FinalCheckpoint);
    }
}

using FlowMatching.Distributions;
using FlowMatching.Errors;
using FlowMatching.Interpolants;
using FlowMatching.Training.Network;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FlowMatching.Training;

/// <summary>The loss diverged: the run stops, naming the step.</summary>
public sealed class TrainingDivergedException(int step, double loss)
    : FlowMatchingException($"the loss became {loss} at step {step}; lower the learning rate or check the data");

/// <summary>The run was asked to stop (Ctrl-C); its state is in <see cref="Checkpoint"/>.</summary>
public sealed class TrainingInterruptedException(int step, string checkpoint)
    : Exception($"interrupted after step {step}; checkpoint written to {checkpoint}")
{
    public int Step { get; } = step;

    public string Checkpoint { get; } = checkpoint;
}

/// <summary>
/// Where checkpoints go (every <see cref="Every"/> steps when above 0, on interruption, and after the last step
/// when <see cref="SaveFinal"/>, so that a failed export loses nothing) and which one to resume from.
/// </summary>
public sealed record CheckpointPolicy(string? Path, int Every = 0, ResumePoint? Resume = null, bool SaveFinal = false);

/// <summary>A checkpoint to resume, its header read once (the weights are read when training starts).</summary>
public sealed record ResumePoint(string Path, CheckpointHeader Header)
{
    public static ResumePoint Read(string path) => new(path, TrainingCheckpoint.ReadHeader(path));
}

/// <summary>
/// Fits a <see cref="Mlp"/> by minimising <see cref="InterpolantLoss"/> with Adam and a step
/// learning-rate schedule, as the tutorial does, optionally averaging the weights.
/// </summary>
public sealed class Trainer(TrainingOptions options, IDistribution target, string? dataFingerprint = null)
{
    // The held-out batch draws from its own streams, disjoint from the training batches'.
    private const ulong ValidationStreams = 100;

    /// <summary>Trains and returns the network to export: the weight average when --ema is on, else the raw weights.</summary>
    public IFieldNetwork Train(Device device, CheckpointPolicy? checkpoints = null, Action<TrainingStep>? onStep = null, CancellationToken cancel = default)
    {
        NativeHeap.KeepFreedMemory();
        random.manual_seed(options.Seed);
        IFieldNetwork network = FieldNetworks.Create(options, target);
        if (options.InitFrom is { } initial)
        {
            InitialWeights.Read(initial).Apply(network);
        }

        network.Module.to(device);
        using GuidedTeacher? teacher = options.FlowMap?.Teacher is { } teacherPath ? new GuidedTeacher(teacherPath, options.FlowMap.Guidance, options.FlowMap.Interval, device) : null;
        ShortcutObjective? shortcut = options.Objective == TrainingObjective.Shortcut ? new ShortcutObjective(options.FlowMap ?? new FlowMapTraining(), teacher, options.Seed) : null;
        IInterpolant interpolant = options.Interpolant.Create();
        var sampler = new InterpolantBatchSampler(new StandardNormal(target.Dimension), target, interpolant, options.Seed, labelDropout: options.LabelDropout, timeSampling: options.TimeSampling, flip: options.Flip);
        // Validation keeps t uniform: its loss is then the tutorial's, comparable between runs that sample t differently.
        InterpolantBatch? validation = options.ValidationBatch > 0
            ? new InterpolantBatchSampler(new StandardNormal(target.Dimension), target, interpolant, options.Seed, ValidationStreams, options.LabelDropout).Draw(options.ValidationBatch)
            : null;

        ExponentialMovingAverage? ema = options.EmaDecay > 0 ? new ExponentialMovingAverage(network, options.EmaDecay, device) : null;
        Adam optimizer = optim.Adam(network.Module.parameters(), options.LearningRate);
        var schedule = new StepLearningRate(options.LearningRate, options.LearningRateStep, options.LearningRateGamma);
        int first = 1;
        if (checkpoints?.Resume is { } resume)
        {
            // The header that comes with the weights: the file is what the checksum vouches for.
            CheckpointHeader header = TrainingCheckpoint.Restore(resume.Path, network, optimizer, ema);
            sampler.State = header.SamplerState;
            if (shortcut is not null)
            {
                shortcut.State = header.SamplerState[^2..];
            }

            first = header.Step + 1;
        }

        // The batch sampler's stream positions, then the shortcut objective's.
        ulong[] State() => [.. sampler.State, .. shortcut?.State ?? []];
        double lastLoss = double.NaN;
        for (int step = first; step <= options.Steps; step++)
        {
            if (cancel.IsCancellationRequested && checkpoints?.Path is { } interruptedPath)
            {
                TrainingCheckpoint.Save(interruptedPath, new CheckpointHeader(options, step - 1, State(), lastLoss, dataFingerprint), network, optimizer, ema);
                throw new TrainingInterruptedException(step - 1, interruptedPath);
            }

            using DisposeScope scope = NewDisposeScope();
            double learningRate = schedule.At(step);
            foreach (ParamGroup group in optimizer.ParamGroups)
            {
                group.LearningRate = learningRate;
            }

            optimizer.zero_grad();
            Tensor loss = shortcut?.Loss(network, sampler, options.Batch, device) ?? BatchLoss(network, sampler.Draw(options.Batch), device);
            loss.backward();
            optimizer.step();
            ema?.Update(network);

            double value = loss.item<float>();
            if (!double.IsFinite(value))
            {
                throw new TrainingDivergedException(step, value);
            }

            lastLoss = value;
            if (checkpoints is { Path: { } path, Every: > 0 } && step % checkpoints.Every == 0)
            {
                TrainingCheckpoint.Save(path, new CheckpointHeader(options, step, State(), value, dataFingerprint), network, optimizer, ema);
            }

            double? validationLoss = validation is not null && (step % options.ValidationEvery == 0 || step == options.Steps)
                ? ValidationLoss(ema?.Average ?? network, validation, device)
                : null;
            onStep?.Invoke(new TrainingStep(step, value, learningRate, validationLoss));
        }

        if (checkpoints is { Path: { } finalPath, SaveFinal: true } && first <= options.Steps)
        {
            FinalCheckpoint = SaveFinal(finalPath, new CheckpointHeader(options, options.Steps, State(), lastLoss, dataFingerprint), network, optimizer, ema);
        }

        if (ema is null)
        {
            return network;
        }

        network.Dispose();
        return ema.Average;
    }

    /// <summary>Where the last train saved its finished state (the checkpoint path, or a temporary folder when that one failed).</summary>
    public string? FinalCheckpoint { get; private set; }

    // A finished run is too costly to lose to a full disk: where its checkpoint cannot be written, try the
    // temporary folder (often another file system) before giving up.
    private static string SaveFinal(string path, CheckpointHeader header, IFieldNetwork network, Adam optimizer, ExponentialMovingAverage? ema)
    {
        try
        {
            TrainingCheckpoint.Save(path, header, network, optimizer, ema);
            return path;
        }
        catch (OutputFileException first)
        {
            string fallback = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{System.IO.Path.GetFileName(path)}.{Environment.ProcessId}");
            try
            {
                TrainingCheckpoint.Save(fallback, header, network, optimizer, ema);
                return fallback;
            }
            catch (OutputFileException)
            {
                throw first;
            }
        }
    }

    private static Tensor BatchLoss(IFieldNetwork network, InterpolantBatch batch, Device device)
    {
        (Tensor x, Tensor t, Tensor y, Tensor dx) = batch.ToTensors(device);
        return InterpolantLoss.Compute(network.Velocity(x, t, y), dx);
    }

    private static double ValidationLoss(IFieldNetwork network, InterpolantBatch batch, Device device)
    {
        using var noGrad = no_grad();
        return BatchLoss(network, batch, device).item<float>();
    }
}

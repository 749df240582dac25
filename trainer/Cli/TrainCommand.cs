using System.CommandLine;
using System.Globalization;
using FlowMatching.Cli;
using FlowMatching.Contract;
using FlowMatching.Distributions;
using FlowMatching.Interpolants;
using FlowMatching.Training.Network;

namespace FlowMatching.Training.Cli;

/// <summary>`flowmatch-trainer train`: fit a velocity field on a target and export it to ONNX.</summary>
public static class TrainCommand
{
    /// <summary>The held-out batch of an image run when none is given: a forward pass of 10000 images every 100 steps would cost more than the training.</summary>
    private const int ImageValidationBatch = 512;

    public static Command Create() => Create("train", "Train a velocity field with the stochastic-interpolant loss and export it to ONNX", reflow: false);

    /// <summary>`trainer reflow`: the same training on a teacher model's noise-data couplings (rectified flow).</summary>
    public static Command CreateReflow() => Create("reflow", "Train a straighter field on a teacher model's ODE couplings (rectified flow), for few-step sampling", reflow: true);

    private static Command Create(string name, string description, bool reflow)
    {
        var defaults = new TrainingOptions();
        Option<string> target = CliOptions.Option("--target", $"target distribution: {string.Join("|", TargetCatalog.All)}", defaults.Target);
        Option<InterpolantKind> interpolant = CliOptions.Choice("--interpolant", "interpolant schedule", InterpolantCatalog.Table, defaults.Interpolant);
        Option<int> steps = CliOptions.Option("--steps", "optimisation steps", defaults.Steps);
        Option<int> batch = CliOptions.Option("--batch", "batch size", defaults.Batch);
        Option<double> lr = CliOptions.Option("--lr", "Adam learning rate", defaults.LearningRate);
        Option<int> lrStep = CliOptions.Option("--lr-step", "StepLR step size (steps)", defaults.LearningRateStep);
        Option<double> lrGamma = CliOptions.Option("--lr-gamma", "StepLR decay factor", defaults.LearningRateGamma);
        Option<string> hidden = CliOptions.Option("--hidden", "hidden layer widths, comma separated", string.Join(",", defaults.Hidden));
        Option<Activation> activation = CliOptions.Choice("--activation", "hidden activation", Activations.Names, defaults.Activation);
        Option<long> seed = CliOptions.Option("--seed", "random seed (same seed, same model bytes)", defaults.Seed);
        Option<string?> output = CliOptions.Option<string?>("--out", "model path (default models/trained/<target>.onnx)");
        Option<string?> lossCsv = CliOptions.Option<string?>("--loss-csv", "write step,loss,lr,val_loss here");
        Option<int> validationBatch = CliOptions.Option("--validation-batch", "held-out batch size (0: none)", defaults.ValidationBatch);
        Option<int> validationEvery = CliOptions.Option("--validation-every", "steps between validation losses", defaults.ValidationEvery);
        Option<DeviceChoice> device = CliOptions.Choice("--device", "TorchSharp device", DeviceChoices.Names, defaults.Device);
        // The U-Net's sinusoidal embedding is its own; the MLP's choice is none or fourier:K.
        Option<TimeEmbedding> timeEmbedding = CliOptions.Parsed("--time-embedding", "how t enters the MLP: none or fourier:K", defaults.TimeEmbedding,
            (string text, out TimeEmbedding value) => TimeEmbedding.TryParse(text, out value!) && value.Kind != TimeEmbeddingKind.Sinusoidal, "none or fourier:K with K from 1 to 64");
        Option<TimeSampling> timeSampling = Named("--time-sampling", "how training draws t: uniform or logit-normal:M,S (t = sigmoid(M + S z))", defaults.TimeSampling);
        Option<string?> checkpoint = CliOptions.Option<string?>("--checkpoint", "save resumable checkpoints here (default on Ctrl-C: <out>.ckpt)");
        Option<int> checkpointEvery = CliOptions.Option("--checkpoint-every", "steps between checkpoints (0: only on Ctrl-C)", 0);
        Option<string?> resume = CliOptions.Option<string?>("--resume", "continue the run saved in this checkpoint (its options are used; --steps may extend it)");
        Option<double> ema = CliOptions.Option("--ema", "export an exponential moving average of the weights with this decay (0: off)", defaults.EmaDecay);
        Option<bool> force = CliOptions.Option("--force", "overwrite existing output files", false);
        Option<NetworkKind> network = CliOptions.Choice("--network", "velocity network: the MLP for points, the U-Net for images", NetworkKinds.Velocity, defaults.Network);
        Option<string?> channels = CliOptions.Option<string?>("--channels", "U-Net channel widths, one per resolution level, comma separated (default: 32,64,64, as many levels as the image size allows, 128 for a fourth)");
        var folderFlags = new ImageFolderFlags();
        Option<string?> imageCache = CliOptions.Option<string?>("--image-cache", "keep folder:DIR's decoded pixels in this file for later runs (default <out>.images; none: no cache)");
        Option<bool> flip = CliOptions.Option("--flip", "flip each training image horizontally with probability 1/2 (seeded)", false);
        Option<double> labelDropout = CliOptions.Option("--label-dropout", "probability of replacing a class by the null class (classifier-free guidance)", defaults.LabelDropout);
        Option<string?> data = CliOptions.Option<string?>("--data", $"folder with Fashion-MNIST's IDX files (default {ImageTargets.FashionMnistFolder})");

        Option<TrainingObjective> objective = CliOptions.Choice("--objective", "what to fit: the velocity (the interpolant loss) or a flow map u(x, t, h) for few-step sampling", TrainingObjectives.Names, defaults.Objective);
        Option<string?> initFrom = CliOptions.Option<string?>("--init-from", "start from this trainer's model of the same network (.onnx); a flow map may start from a velocity model");
        Option<string?> distill = CliOptions.Option<string?>("--distill", "flow maps: the velocity model (.onnx) whose (guided) field is the target at h = 0, instead of dI/dt");
        Option<double?> distillGuidance = CliOptions.Option<double?>("--distill-guidance", "the guidance w the flow map learns from --distill (default: its recommendation)");
        Option<GuidanceInterval> distillInterval = CliOptions.Parsed("--distill-interval", "FROM,TO: the times that guidance applies at (default: its recommendation)", GuidanceInterval.Whole, GuidanceInterval.TryParse, GuidanceInterval.Expected);
        Option<double> shortcutShare = CliOptions.Option("--shortcut-share", "flow maps: the share of each batch that learns steps by self-consistency", FlowMapTraining.DefaultShare);
        Option<int> shortcutSteps = CliOptions.Option("--shortcut-steps", "flow maps: the most steps trained (a power of two; the smallest step is its inverse)", FlowMapTraining.DefaultFinestSteps);
        Option[] flowMapOptions = [distill, distillGuidance, distillInterval, shortcutShare, shortcutSteps];

        Option<string> teacher = new("--teacher") { Description = "the point model whose ODE couples noise to data (.onnx)", Required = true };
        Option<int> pairs = CliOptions.Option("--pairs", "noise points the teacher carries to data", ReflowTeacher.DefaultPairs);
        Option<int> teacherSteps = CliOptions.Option("--teacher-steps", "Runge-Kutta 4 steps of the teacher's ODE", ReflowTeacher.DefaultSteps);
        var command = new Command(name, description)
        {
            interpolant, steps, batch, lr, lrStep, lrGamma, hidden, activation, seed, output, lossCsv,
            validationBatch, validationEvery, device, ema, timeEmbedding, timeSampling, checkpoint, checkpointEvery, resume, force,
        };
        Option[] targetOptions = reflow ? [teacher, pairs, teacherSteps] : [target, network, channels, labelDropout, data, .. folderFlags.All, imageCache, flip, objective, initFrom, .. flowMapOptions];
        foreach (Option option in targetOptions)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellation) =>
        {
            var options = new TrainingOptions
            {
                Interpolant = parse.GetValue(interpolant),
                Steps = parse.InRange(steps, 1, 10_000_000),
                Batch = parse.InRange(batch, 1, 10_000_000),
                LearningRate = parse.InRange(lr, 1e-12, 1e6),
                LearningRateStep = parse.InRange(lrStep, 1, int.MaxValue),
                LearningRateGamma = parse.InRange(lrGamma, 1e-12, 1.0),
                Hidden = ParseWidths(parse.GetValue(hidden)!, "--hidden", "512,512,512"),
                Activation = parse.GetValue(activation),
                Seed = parse.GetValue(seed),
                ValidationBatch = parse.InRange(validationBatch, 0, 10_000_000),
                ValidationEvery = parse.InRange(validationEvery, 1, int.MaxValue),
                Device = parse.GetValue(device),
                EmaDecay = parse.InRange(ema, 0.0, 0.999999),
                TimeEmbedding = parse.GetValue(timeEmbedding)!,
                TimeSampling = parse.GetValue(timeSampling)!,
            };
            options = reflow
                ? options with { Teacher = new ReflowTeacher(Path.GetFullPath(parse.GetValue(teacher)!), parse.InRange(pairs, 1, 10_000_000), parse.InRange(teacherSteps, 1, 100_000)) }
                : options with
                {
                    Target = parse.GetValue(target)!,
                    Network = parse.GetValue(network),
                    Channels = parse.GetValue(channels) is { } widths ? ParseWidths(widths, "--channels", "32,64,64") : null,
                    Color = folderFlags.Read(parse).Color,
                    ImageSize = folderFlags.Read(parse).Size,
                    SkipBadImages = folderFlags.Read(parse).SkipBadImages,
                    Flip = parse.GetValue(flip),
                    LabelDropout = parse.InRange(labelDropout, 0.0, 1.0),
                    DataFolder = parse.GetValue(data),
                    ValidationBatch = parse.GetValue(network) == NetworkKind.UNet && !parse.IsGiven(validationBatch) ? ImageValidationBatch : options.ValidationBatch,
                };

            if (!reflow)
            {
                options = options with
                {
                    Objective = parse.GetValue(objective),
                    InitFrom = parse.GetValue(initFrom) is { } start ? Path.GetFullPath(start) : null,
                    FlowMap = parse.GetValue(objective) == TrainingObjective.Interpolant ? null : FlowMapSettings(parse, distill, distillGuidance, distillInterval, shortcutShare, shortcutSteps),
                };
                if (options.FlowMap is null)
                {
                    parse.Refuse("applies only to --objective flow-map:shortcut", flowMapOptions);
                }
            }

            if (!reflow && !parse.GetValue(target)!.StartsWith(ImageTargets.FolderPrefix, StringComparison.Ordinal))
            {
                parse.Refuse("applies only to folder:DIR targets", [.. folderFlags.All, imageCache]);
            }

            if (!reflow && !ImageTargets.IsImageTarget(parse.GetValue(target)!))
            {
                parse.Refuse("applies only to image targets", flip);
            }

            ResumePoint? resumed = parse.GetValue(resume) is { } resumeFrom ? ResumePoint.Read(resumeFrom) : null;
            if (resumed is not null)
            {
                options = resumed.Header.Options with { Steps = parse.GetResult(steps) is { Implicit: false } ? options.Steps : resumed.Header.Options.Steps };
                Console.Error.WriteLine($"{TrainerCommands.Name}: resuming {resumed.Path} after step {resumed.Header.Step} of {options.Steps}");
            }

            string modelPath = parse.GetValue(output) ?? Path.Combine("models", "trained", $"{DefaultModelName(options)}.onnx");
            if (options.Target.StartsWith(ImageTargets.FolderPrefix, StringComparison.Ordinal) && (resumed is null || parse.IsGiven(imageCache)))
            {
                string cache = parse.GetValue(imageCache) ?? modelPath + ".images";
                options = options with { ImageCache = cache == "none" ? null : cache };
            }

            int every = parse.InRange(checkpointEvery, 0, int.MaxValue);
            var checkpoints = new CheckpointPolicy(parse.GetValue(checkpoint) ?? modelPath + ".ckpt", every, resumed, SaveFinal: true);
            bool asked = parse.IsGiven(checkpoint) || every > 0 || resumed is not null;
            (string, string?)[] inputs = [.. TargetFiles(options.Target).Select(f => ("--target", (string?)f)), ("--teacher", options.Teacher?.Path), ("--init-from", options.InitFrom), ("--distill", options.FlowMap?.Teacher)];
            InputGuard.RefuseOverwriting([("--out", modelPath), ("--loss-csv", parse.GetValue(lossCsv)), ("--image-cache", options.ImageCache)], [.. inputs, ("--resume", resumed?.Path)]);
            // The checkpoint a run resumes is its own to replace.
            InputGuard.RefuseOverwriting([("--checkpoint", checkpoints.Path)], inputs);
            return new TrainingJob(options, modelPath, parse.GetValue(lossCsv), parse.GetValue(force), checkpoints, asked).Run(cancellation);
        });
        return command;
    }

    // The flow map's settings, the teacher's guidance and interval read from its recommendation when not given, so the
    // model's metadata states the numbers it learned.
    private static FlowMapTraining FlowMapSettings(ParseResult parse, Option<string?> distill, Option<double?> guidance, Option<GuidanceInterval> interval, Option<double> share, Option<int> steps)
    {
        int finest = parse.InRange(steps, 1, 65536);
        if (!int.IsPow2(finest))
        {
            throw new UserInputException($"--shortcut-steps {finest}: must be a power of two (1, 2, 4, ... 65536)");
        }

        var settings = new FlowMapTraining { Share = parse.InRange(share, 0.0, 1.0), FinestSteps = finest };
        if (parse.GetValue(distill) is not { } teacherPath)
        {
            parse.Refuse("applies only with --distill", guidance, interval);
            return settings;
        }

        ModelContract contract = InitialWeights.Read(teacherPath).Contract;
        if (contract.Classes == 0)
        {
            parse.Refuse($"applies only to a class-conditional teacher, and {teacherPath} has no classes", guidance, interval);
        }

        return settings with
        {
            Teacher = Path.GetFullPath(teacherPath),
            Guidance = contract.Classes == 0 ? 1 : parse.InRange(guidance, 0.0, 100.0) ?? contract.Recommended?.Guidance ?? 1,
            Interval = contract.Classes == 0 ? null : parse.IsGiven(interval) ? parse.GetValue(interval) : contract.Recommended?.Interval,
        };
    }

    // The files a target is read from: csv:PATH's, idx:IMAGES[,LABELS]'s.
    private static IEnumerable<string> TargetFiles(string target) =>
        target.StartsWith(TargetCatalog.CsvPrefix, StringComparison.Ordinal) ? [target[TargetCatalog.CsvPrefix.Length..]]
        : target.StartsWith(ImageTargets.IdxPrefix, StringComparison.Ordinal) ? target[ImageTargets.IdxPrefix.Length..].Split(',')
        : [];

    // csv:/data/cells.csv trains models/trained/cells.onnx, idx:/data/digits.idx models/trained/digits.onnx;
    // a named target trains models/trained/<name>.onnx.
    // A reflow of models/gmm8.onnx trains models/trained/gmm8-reflow.onnx.
    private static string DefaultModelName(TrainingOptions options) => options.Teacher is { } teacher
        ? $"{Path.GetFileNameWithoutExtension(teacher.Path)}-reflow"
        : DefaultModelName(options.Target);

    private static string DefaultModelName(string target) =>
        target.StartsWith(TargetCatalog.CsvPrefix, StringComparison.Ordinal) ? Path.GetFileNameWithoutExtension(target[TargetCatalog.CsvPrefix.Length..])
        : target.StartsWith(ImageTargets.IdxPrefix, StringComparison.Ordinal) ? Path.GetFileName(target[ImageTargets.IdxPrefix.Length..].Split(',')[0]).Split('.')[0]
        : target.StartsWith(ImageTargets.FolderPrefix, StringComparison.Ordinal) ? Path.GetFileName(target[ImageTargets.FolderPrefix.Length..].TrimEnd('/'))
        : target;

    private static Option<T> Named<T>(string name, string description, T defaultValue) where T : class, INamedChoice<T> =>
        CliOptions.Parsed(name, description, defaultValue, (string text, out T value) => T.TryParse(text, out value!), T.Expected);

    public static IReadOnlyList<int> ParseWidths(string text, string flag, string example)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1 || sizes[i] > 65536)
            {
                throw new UserInputException($"{flag} '{text}': expected positive layer widths like {example}");
            }
        }

        return sizes;
    }
}

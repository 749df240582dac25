using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Contract;
using FlowMatching.Interpolants;
using FlowMatching.Io;
using FlowMatching.Runtime.Options;
using FlowMatching.Training.Onnx;
using FlowMatching.Training.Onnx.Proto;
using Google.Protobuf;

namespace FlowMatching.Training.Cli;

/// <summary>
/// The trainer commands that turn a model file into another (export-sampler, quantize): read --model, rewrite
/// its graph, write --out atomically.
/// </summary>
public static class ModelRewriteCommand
{
    public static Command Create(string name, string description, Func<ParseResult, ModelProto, string, CancellationToken, (ModelProto Model, string Said)> rewrite, params Option[] options)
    {
        Option<string> model = new("--model") { Description = "a velocity model written by this trainer", Required = true };
        Option<string> output = new("--out") { Description = "the model to write (.onnx)", Required = true };
        Option<bool> force = CliOptions.Option("--force", "overwrite an existing file", false);
        var command = new Command(name, description) { model, output, force };
        foreach (Option option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellation) =>
        {
            string path = parse.GetValue(model)!;
            string outPath = parse.GetValue(output)!;
            if (!outPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            {
                throw new UserInputException($"--out {outPath}: a model file must end in .onnx");
            }

            InputFile.RequireReadable(path);
            InputGuard.RefuseOverwriting([("--out", outPath)], [("--model", path), .. options.Where(o => o.Name == "--weak-model").Select(o => (o.Name, parse.GetResult(o)?.GetValueOrDefault<string?>()))]);
            ModelProto field;
            try
            {
                field = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new UserInputException($"{path}: not an ONNX model ({e.Message})", e);
            }

            if (field.Contract(path)?.NetworkKind == NetworkKind.Classifier)
            {
                throw new UserInputException($"{path}: is a feature classifier (for evaluate), not a velocity model; {name} rewrites velocity models");
            }

            (ModelProto rewritten, string said) = rewrite(parse, field, path, cancellation);
            AtomicFile.WriteAllBytes(outPath, rewritten.ToByteArray(), parse.GetValue(force));
            Console.Error.WriteLine($"{TrainerCommands.Name}: wrote {outPath}: {said}");
            return 0;
        });
        return command;
    }

    public static Command ExportSampler()
    {
        Option<int> steps = CliOptions.Option("--steps", "Euler steps to unroll", 4);
        return Create("export-sampler", "Write a model's Euler sampler as one ONNX graph that any ONNX Runtime samples in one call",
            (parse, field, path, _) => (SamplerGraph.Unroll(field, parse.GetValue(steps), path), $"{parse.GetValue(steps)} Euler steps of {path} in one graph (z -> x1)"),
            steps);
    }

    public static Command Recommend()
    {
        Option<OdeMethod> method = CliOptions.Choice("--method", "fixed-step ODE method", OdeMethods.FixedStep, OdeMethod.Euler);
        Option<int> steps = CliOptions.Option("--steps", "its steps", OdeSolverOptions.DefaultSteps);
        Option<double> guidance = CliOptions.Option("--guidance", "classifier-free guidance scale (class-conditional models)", 1.0);
        Option<GuidanceInterval?> interval = CliOptions.Parsed<GuidanceInterval?>("--guidance-interval",
            "FROM,TO: guide only at these times t (0 noise, 1 data); every t when not given", null,
            (string text, out GuidanceInterval? value) => (value = GuidanceInterval.TryParse(text, out GuidanceInterval read) ? read : null) is not null,
            GuidanceInterval.Expected);
        Option<TimeGridKind> timeGrid = CliOptions.Choice("--time-grid", "uniform steps, or steps where the model's own dopri5 pilot stepped (stored as times)",
            TimeGridKinds.Names, TimeGridKind.Uniform);
        Option<string?> weakModel = CliOptions.Option<string?>("--weak-model", "a weaker model of the same data for autoguidance of unconditional samples (stored relative to --out's folder)");
        Option<double?> autoguidance = CliOptions.Option<double?>("--autoguidance", "the autoguidance weight w for --weak-model");
        return Create("recommend", "Store the sampler measured best for a model in its metadata; flowmatch sample uses it for what its user leaves unset",
            (parse, field, path, cancellation) =>
            {
                ModelContract contract = field.Contract(path)
                    ?? throw new UserInputException($"{path}: carries no flowmatching metadata, which a recommendation is part of; describe the model first with 'flowmatch annotate'");
                if (contract.Sampler is not null)
                {
                    throw new UserInputException($"{path}: a sampler graph has its steps built in; recommend for the velocity model");
                }

                bool classes = contract.ClassNames.Count > 0;
                if (!classes)
                {
                    parse.Refuse($"applies only to class-conditional models, and {path} has no classes", guidance, interval);
                }

                var recommended = new RecommendedSampling(parse.GetValue(method), parse.InRange(steps, 1, 1_000_000), parse.InRange(guidance, 0.0, 100.0), parse.GetValue(interval));
                if (parse.GetValue(timeGrid) == TimeGridKind.Adapted)
                {
                    using var model = Runtime.VelocityModel.Load(path, new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu });
                    Conditioning? conditioning = classes ? new Conditioning(ClassSelection.All, recommended.Guidance, recommended.Interval) : null;
                    recommended = recommended with { Grid = model.AdaptedTimeGrid(recommended.Steps, conditioning, cancellation) };
                }

                if (parse.GetValue(weakModel) is { } weak)
                {
                    double weight = parse.InRange(autoguidance, 0.0, 100.0)
                        ?? throw new UserInputException($"--autoguidance: give a weight from 0 to 100 for --weak-model {weak}");
                    using var model = Runtime.VelocityModel.Load(path, new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu });
                    model.RequireWeakModel(new Autoguidance(weak, weight));
                    string folder = Path.GetDirectoryName(Path.GetFullPath(parse.GetValue<string>("--out")!))!;
                    recommended = recommended with { Autoguidance = new RecommendedAutoguidance(Path.GetRelativePath(folder, Path.GetFullPath(weak)), weight) };
                }
                else
                {
                    parse.Refuse("applies only with --weak-model", autoguidance);
                }

                ModelProto rewritten = field.Clone();
                foreach (StringStringEntryProto old in rewritten.MetadataProps.Where(p => RecommendedSampling.Keys.Contains(p.Key)).ToList())
                {
                    rewritten.MetadataProps.Remove(old);
                }

                rewritten.MetadataProps.AddRange(recommended.ToProperties().Select(p => new StringStringEntryProto { Key = p.Key, Value = p.Value }));
                return (rewritten, $"{path} recommending {OdeMethods.Names.Name(recommended.Method)} {recommended.Steps} steps{(classes ? $", guidance {recommended.Guidance}" : "")}{(recommended.Interval is { } i ? $" at {i.Describe()}" : "")}{(recommended.Grid is { } g ? $" on the time grid {TimeGrid.Describe(g)}" : "")}{(recommended.Autoguidance is { } a ? $", autoguidance {a.Weight} by {a.WeakModel} for unconditional samples" : "")}");
            },
            method, steps, guidance, interval, timeGrid, weakModel, autoguidance);
    }

    public static Command Quantize()
    {
        Option<ActivationScaling> activations = CliOptions.Choice("--activations",
            "how fully connected layers scale their inputs to int8: each point on its own step at every call (close to the float field anywhere), or one step a layer measured on the model's own ODE paths (faster; accurate on those paths, coarse far off them)",
            ActivationScalingNames, ActivationScaling.PerPoint);
        return Create("quantize", "Write a model with int8 fully connected and convolution layers (per-channel weights; convolutions quantize each image at each call)",
            (parse, field, path, cancellation) =>
            {
                Int8Model quantized = Int8Quantizer.Quantize(field, path, parse.GetValue(activations), cancellation);
                string dense = quantized.DenseLayers == 0 ? "" : $"{quantized.DenseLayers} fully connected layers ({ActivationScalingNames.Name(parse.GetValue(activations))} activations)";
                string convolutions = quantized.Convolutions == 0 ? "" : $"{quantized.Convolutions} convolutions";
                return (quantized.Model, $"{path} with int8 weights in {string.Join(" and ", new[] { dense, convolutions }.Where(s => s.Length > 0))}");
            },
            activations);
    }


    private static readonly NameTable<ActivationScaling> ActivationScalingNames = new(("calibrated", ActivationScaling.Calibrated), ("per-point", ActivationScaling.PerPoint));
}

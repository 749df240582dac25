using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Io;
using FlowMatching.Training.Onnx;
using FlowMatching.Training.Onnx.Proto;
using Google.Protobuf;

namespace FlowMatching.Training;

/// <summary>
/// The trainer commands that turn a model file into another (export-sampler, quantize): read --model, rewrite
/// its graph, write --out atomically.
/// </summary>
public static class ModelRewriteCommand
{
    public static Command Create(string name, string description, Func<ParseResult, ModelProto, string, (ModelProto Model, string Said)> rewrite, params Option[] options)
    {
        Option<string> model = new("--model") { Description = "a velocity model written by this trainer", Required = true };
        Option<string> output = new("--out") { Description = "the model to write (.onnx)", Required = true };
        Option<bool> force = CommandRunner.Option("--force", "overwrite an existing file", false);
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
            ModelProto field;
            try
            {
                field = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new UserInputException($"{path}: not an ONNX model ({e.Message})", e);
            }

            (ModelProto rewritten, string said) = rewrite(parse, field, path);
            AtomicFile.WriteAllBytes(outPath, rewritten.ToByteArray(), parse.GetValue(force));
            Console.Error.WriteLine($"trainer: wrote {outPath}: {said}");
            return 0;
        });
        return command;
    }

    public static Command ExportSampler()
    {
        Option<int> steps = CommandRunner.Option("--steps", "Euler steps to unroll", 4);
        return Create("export-sampler", "Write a model's Euler sampler as one ONNX graph that any ONNX Runtime samples in one call",
            (parse, field, path) => (SamplerGraph.Unroll(field, parse.GetValue(steps), path), $"{parse.GetValue(steps)} Euler steps of {path} in one graph (z -> x1)"),
            steps);
    }

    public static Command Quantize() =>
        Create("quantize", "Write a model with int8 fully connected layers (per-channel weights, activations quantized per call)",
            (parse, field, path) => (Int8Quantizer.Quantize(field, path), $"{path} with int8 fully connected layers"));
}

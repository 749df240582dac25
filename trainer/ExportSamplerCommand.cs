using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Io;
using FlowMatching.Training.Onnx;
using FlowMatching.Training.Onnx.Proto;
using Google.Protobuf;

namespace FlowMatching.Training;

/// <summary>`trainer export-sampler`: a velocity model's K-step Euler sampler as one ONNX graph, z (and y) -> x1.</summary>
public static class ExportSamplerCommand
{
    public static Command Create()
    {
        Option<string> model = new("--model") { Description = "a velocity model written by this trainer", Required = true };
        Option<int> steps = CommandRunner.Option("--steps", "Euler steps to unroll", 4);
        Option<string> output = new("--out") { Description = "the sampler graph to write (.onnx)", Required = true };
        Option<bool> force = CommandRunner.Option("--force", "overwrite an existing file", false);
        var command = new Command("export-sampler", "Write a model's Euler sampler as one ONNX graph that any ONNX Runtime samples in one call")
        {
            model, steps, output, force,
        };
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

            AtomicFile.WriteAllBytes(outPath, SamplerGraph.Unroll(field, parse.GetValue(steps), path).ToByteArray(), parse.GetValue(force));
            Console.Error.WriteLine($"trainer: wrote {outPath}: {parse.GetValue(steps)} Euler steps of {path} in one graph (z -> x1)");
            return 0;
        });
        return command;
    }
}

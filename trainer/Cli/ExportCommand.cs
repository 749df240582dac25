using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Io;
using FlowMatching.Training.Network;
using FlowMatching.Training.Onnx;

namespace FlowMatching.Training.Cli;

/// <summary>`flowmatch-trainer export`: turn a checkpoint (interrupted, or the final one of a run whose export failed) into the ONNX model.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        Option<string> checkpoint = new("--checkpoint") { Description = "a checkpoint written by flowmatch-trainer train", Required = true };
        Option<string> output = new("--out") { Description = "the ONNX model to write", Required = true };
        Option<bool> force = CliOptions.Option("--force", "overwrite an existing model", false);
        var command = new Command("export", "Export the network saved in a checkpoint as an ONNX model (the same bytes the run's own export writes)")
        {
            checkpoint, output, force,
        };
        command.SetAction((parse, cancellation) =>
        {
            string path = parse.GetValue(checkpoint)!;
            string modelPath = parse.GetValue(output)!;
            if (!modelPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            {
                throw new UserInputException($"--out {modelPath}: a model file must end in .onnx");
            }

            InputGuard.RefuseOverwriting([("--out", modelPath)], [("--checkpoint", path)]);
            CheckpointHeader header = TrainingCheckpoint.ReadHeader(path);
            TrainingData data = TrainingData.Load(header.Options, cancellation);
            data.RequireSameAs(header, path, "its standardisation cannot be recovered");

            using AtomicFile model = AtomicFile.Create(modelPath, parse.GetValue(force));
            (IFieldNetwork network, _) = TrainingCheckpoint.LoadForExport(path, data.Target);
            using (network)
            {
                var contract = TrainingContract.Build(header.Options with { Steps = header.Step }, data.Target, data.Scaling, header.LastLoss);
                model.Write(ModelExport.Export(network, contract));
                model.Commit();
            }

            Console.Error.WriteLine($"{TrainerCommands.Name}: exported {path} (step {header.Step} of {header.Options.Steps}) to {modelPath}");
            return 0;
        });
        return command;
    }
}

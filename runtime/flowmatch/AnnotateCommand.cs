using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Contract;
using FlowMatching.Interpolants;
using FlowMatching.Runtime.Options;

namespace FlowMatching.Runtime.Cli;

/// <summary>`flowmatch annotate`: a copy of a model from elsewhere that carries, as metadata, what the flags say about it.</summary>
public static class AnnotateCommand
{
    public static Command Create()
    {
        var modelOptions = new ModelOptions();
        Option<string> output = CliOptions.Option<string>("--out", "the annotated copy (.onnx); never the input");
        output.Required = true;
        Option<bool> force = CliOptions.Option("--force", "overwrite an existing --out (never the input)", false);
        var command = new Command("annotate", "Copy an ONNX model without flowmatching metadata, writing into the copy its classes, null class, class names, pixel range and interpolant (the graph untouched)")
        {
            output, force,
        };
        foreach (Option option in modelOptions.Descriptive)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellation) =>
        {
            string input = modelOptions.Spec(parse), path = parse.GetValue(output)!;
            InputGuard.RefuseOverwriting([("--out", path)], [("--model", input)]);
            InterpolantKind interpolant = modelOptions.Interpolant(parse) ?? InterpolantKind.Linear;
            ModelContract contract = ModelAnnotation.Annotate(input, path, modelOptions.Description(parse) ?? new ModelDescription(), interpolant, parse.GetValue(force));
            string classes = contract.Classes > 0 ? $"{contract.Classes} classes (null class {contract.NullClass}), " : "no classes, ";
            string range = contract.ValueRange is [var low, var high] ? $"pixel range {low},{high}, " : "";
            Console.Error.WriteLine($"{RuntimeCommands.Name}: wrote {path}: {input} with {classes}{range}the {InterpolantCatalog.Name(interpolant)} interpolant in its metadata");
            return 0;
        });
        return command;
    }
}

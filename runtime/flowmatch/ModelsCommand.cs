using System.CommandLine;
using System.Globalization;
using FlowMatching.Contract;

namespace FlowMatching.Runtime.Cli;

/// <summary>`flowmatch models`: the shipped models by short name, with their kind, data, classes and recommendation.</summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "List the models shipped with this program: their short names for --model, kind, classes and recommendation");
        command.SetAction(_ =>
        {
            if (ShippedModels.Folder is null)
            {
                Console.Error.WriteLine($"{RuntimeCommands.Name}: no shipped models beside this program; pass --model a file");
                return 1;
            }

            Console.Out.WriteLine($"shipped models in {ShippedModels.Folder}:");
            foreach (string name in ShippedModels.Names)
            {
                Console.Out.WriteLine($"  {name,-26} {Describe(FlowModel.ReadContract(ShippedModels.PathOf(name)))}");
            }

            return 0;
        });
        return command;
    }

    private static string Describe(ModelContract? contract)
    {
        if (contract is null)
        {
            return "an ONNX file without flowmatching metadata";
        }

        string data = contract.Shape.Count > 0 ? $"[{string.Join("x", contract.Shape)}]" : $"d = {contract.Dimension}";
        string classes = contract.ClassNames.Count > 0 ? $", {contract.ClassNames.Count} classes" : "";
        string kind = contract.NetworkKind == NetworkKind.Classifier ? "feature classifier (for evaluate)"
            : contract.Sampler is { } sampler ? $"sampler graph ({sampler})"
            : contract.Quantization is { } quantization ? $"velocity model, quantized ({Quantizations.Names.Name(quantization)})"
            : "velocity model";
        return $"{kind}, {contract.Target} {data}{classes}{Recommendation(contract.Recommended)}";
    }

    private static string Recommendation(RecommendedSampling? recommended)
    {
        if (recommended is null)
        {
            return "";
        }

        string steps = recommended.Grid is { } grid ? $"{grid.Count - 1} on a stored grid" : recommended.Steps.ToString(CultureInfo.InvariantCulture);
        string guidance = recommended.Guidance != 1 ? $", guidance {recommended.Guidance.ToString(CultureInfo.InvariantCulture)}{(recommended.Interval is { } interval ? $" at {interval.Describe()}" : "")}" : "";
        string auto = recommended.Autoguidance is { } a ? $", autoguidance {a.Weight.ToString(CultureInfo.InvariantCulture)} by {a.WeakModel}" : "";
        return $"; recommends {CliChoices.OdeMethods.Name(recommended.Method)} {steps}{guidance}{auto}";
    }
}

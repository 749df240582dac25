using System.CommandLine;
using System.Text;
using FlowMatching.Cli;
using FlowMatching.Contract;

namespace FlowMatching.Runtime.Cli;

/// <summary>`flowmatch info`: what a model file is, so a user can tell how a model was made before sampling it.</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var modelOptions = new ModelOptions();
        var command = new Command("info", "Print a model's inputs and output, its interpolant, and the training metadata it carries");
        foreach (Option option in modelOptions.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellation) =>
        {
            using FlowModel model = modelOptions.Open(parse);
            Console.Out.Write(Describe(modelOptions.Spec(parse), model));
            return 0;
        });
        return command;
    }

    private static string Describe(string spec, FlowModel model)
    {
        var text = new StringBuilder();
        if (model is SamplerGraphModel graph)
        {
            string classes = graph.Classes > 0 ? $", classes 0 to {graph.Classes - 1} ({graph.Classes} the null class)" : "";
            text.AppendLine($"{spec}: sampler graph ({graph.Method}) of samples [{string.Join(", ", graph.SampleShape)}]{classes}, one call per chunk");
            AppendContract(text, graph.Contract);
            return text.ToString();
        }

        if (model is FlowMapModel map)
        {
            string classes = map.Classes > 0 ? $", classes 0 to {map.Classes - 1} ({map.Classes} the null class)" : "";
            string steps = map.RecommendedSteps is { } k ? $"{k} uniform steps recommended" : "no recommended steps";
            text.AppendLine($"{spec}: flow map u(x, t, h) of samples [{string.Join(", ", map.SampleShape)}]{classes}, one evaluation a step, {steps}");
            AppendContract(text, map.Contract);
            return text.ToString();
        }

        var velocity = (VelocityModel)model;
        text.AppendLine($"{spec}: velocity field in d = {velocity.Dimension}, {velocity.Interpolant.Name} interpolant");
        if (velocity.Signature is { } signature)
        {
            string time = signature.TimeIsColumn ? "[N, 1]" : "[N]";
            string shape = $"[N, {string.Join(", ", signature.SampleShape)}]";
            string what = signature.SampleShape.Count == 3 ? "images" : "points";
            string classes = signature.ClassInput is { } y ? $", {y} [N] (int64 classes, {velocity.Classes} the null class)" : "";
            text.AppendLine($"  inputs: {signature.PointsInput} {shape} ({what}), {signature.TimeInput} {time} (times){classes}; output: {signature.Output} {shape}");
        }

        if (velocity.Contract is not null)
        {
            AppendContract(text, velocity.Contract);
        }
        else
        {
            text.AppendLine(velocity.Signature is not null
                ? "  no flowmatching metadata: the interpolant is assumed, pass --interpolant to sample if it is not linear"
                : "  closed-form field of the target, no training");
        }

        return text.ToString();
    }

    private static void AppendContract(StringBuilder text, ModelContract? contract)
    {
        foreach ((string key, string value) in contract?.ToProperties() ?? [])
        {
            text.AppendLine($"  {key} = {value}");
        }
    }
}

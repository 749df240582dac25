using System.Reflection;
using FlowMatching.Contract;
using FlowMatching.Distributions;

namespace FlowMatching.Training.Training;

/// <summary>The one place that states what a trained model is, as the contract its ONNX file carries.</summary>
public static class TrainingContract
{
    public const string Producer = "FlowMatching.Trainer";

    public static string ProducerVersion { get; } =
        typeof(TrainingContract).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static ModelContract Build(TrainingOptions options, int dimension, string target, Standardization? scaling, double finalLoss) =>
        new(Producer, ProducerVersion, options.Interpolant, dimension, "normal(0,I)", target,
            options.Hidden, options.Activation, options.Steps, options.Batch, options.Seed, finalLoss)
        {
            EmaDecay = options.EmaDecay,
            TimeEmbedding = options.TimeEmbedding,
            DataMean = scaling?.Mean ?? [],
            DataStd = scaling?.Std ?? [],
        };
}

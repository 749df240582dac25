using System.Reflection;
using FlowMatching.Contract;
using FlowMatching.Distributions;
using FlowMatching.Interpolants;
using FlowMatching.Training.Network;

namespace FlowMatching.Training;

/// <summary>The one place that states what a trained model is, as the contract its ONNX file carries.</summary>
public static class TrainingContract
{
    public const string Producer = ModelContract.ThisProducer;

    public static string ProducerVersion { get; } =
        typeof(TrainingContract).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static ModelContract Build(TrainingOptions options, IDistribution target, Standardization? scaling, double finalLoss)
    {
        var points = new ModelContract(Producer, ProducerVersion, options.Interpolant, target.Dimension, "normal(0,I)", target.Name,
            options.Hidden, options.Activation.Name(), options.Steps, options.Batch, options.Seed, finalLoss)
        {
            EmaDecay = options.EmaDecay,
            TimeEmbedding = options.TimeEmbedding,
            DataMean = scaling?.Mean ?? [],
            DataStd = scaling?.Std ?? [],
            Teacher = options.Teacher?.ToString() ?? options.FlowMap?.Describe(),
            ModelKind = options.Objective.ModelKind(),
            Recommended = options.Objective.ModelKind() == ModelKind.FlowMap ? new RecommendedSampling(OdeMethod.Euler, FlowMapTraining.DefaultRecommendedSteps) : null,
        };
        return target is not ImageDataset images ? points : points with
        {
            Hidden = FieldNetworks.Config(options, images).Channels,
            Activation = Activation.Silu.Name(),
            TimeEmbedding = TimeEmbedding.Sinusoidal,
            NetworkKind = NetworkKind.UNet,
            Shape = [images.Channels, images.Height, images.Width],
            ValueRange = [ImageDataset.PixelLow, ImageDataset.PixelHigh],
            ClassNames = images.Labels is null ? [] : images.ClassNames,
        };
    }
}

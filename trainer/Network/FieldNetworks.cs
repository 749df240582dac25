using FlowMatching.Contract;
using FlowMatching.Distributions;
using FlowMatching.Errors;

namespace FlowMatching.Training.Network;

/// <summary>Builds the network a run's options ask for, shaped for its target.</summary>
public static class FieldNetworks
{
    public static IFieldNetwork Create(TrainingOptions options, IDistribution target) => (options.Network, target) switch
    {
        (NetworkKind.UNet, ImageDataset images) => new UNet(Config(options, images)),
        (NetworkKind.UNet, _) => throw new InvalidSettingException("Network", $"unet is for images (fashion-mnist, idx:... or folder:...), not {target.Name}"),
        (_, ImageDataset) => throw new InvalidSettingException("Network", $"{target.Name} is an image set: train it with the unet network"),
        _ => new Mlp(target.Dimension, options.Hidden, options.Activation, options.TimeEmbedding, TakesStep(options)),
    };

    public static UNetConfig Config(TrainingOptions options, ImageDataset images) =>
        new(options.Channels ?? UNetConfig.DefaultChannels(images.Height, images.Width), images.Channels, images.Height, images.Width, images.Labels is null ? 0 : images.ClassNames.Count)
        {
            TakesStep = TakesStep(options),
        };

    private static bool TakesStep(TrainingOptions options) => options.Objective.ModelKind() == ModelKind.FlowMap;
}

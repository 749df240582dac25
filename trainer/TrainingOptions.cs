using System.Text.Json.Serialization;
using FlowMatching.Contract;
using FlowMatching.Interpolants;
using FlowMatching.Io;
using FlowMatching.Training.Network;

namespace FlowMatching.Training;

/// <summary>Everything that determines a training run; the defaults are the tutorial's.</summary>
public sealed record TrainingOptions
{
    public string Target { get; init; } = "gmm8";

    [JsonConverter(typeof(InterpolantKindConverter))]
    public InterpolantKind Interpolant { get; init; } = InterpolantKind.Linear;

    public int Steps { get; init; } = 5000;

    public int Batch { get; init; } = 2500;

    public double LearningRate { get; init; } = 2e-3;

    public int LearningRateStep { get; init; } = 1500;

    public double LearningRateGamma { get; init; } = 0.6;

    public IReadOnlyList<int> Hidden { get; init; } = [512, 512, 512];

    public Activation Activation { get; init; } = Activation.Relu;

    [JsonConverter(typeof(NamedChoiceConverter<TimeEmbedding>))]
    public TimeEmbedding TimeEmbedding { get; init; } = TimeEmbedding.None;

    public TimeSampling TimeSampling { get; init; } = TimeSampling.Uniform;

    public long Seed { get; init; }

    /// <summary>Size of the held-out batch drawn once per run; 0 turns validation off.</summary>
    public int ValidationBatch { get; init; } = 10000;

    public int ValidationEvery { get; init; } = 100;

    [JsonConverter(typeof(DeviceChoiceConverter))]
    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;

    /// <summary>Decay of the exported exponential moving average of the weights; 0 exports the raw weights.</summary>
    public double EmaDecay { get; init; }

    /// <summary>The MLP (points) or the U-Net (images).</summary>
    [JsonConverter(typeof(NetworkKindConverter))]
    public NetworkKind Network { get; init; } = NetworkKind.Mlp;

    /// <summary>The U-Net's channel widths, one per resolution level; null: <see cref="UNetConfig.DefaultChannels"/> for the image size.</summary>
    public IReadOnlyList<int>? Channels { get; init; }

    /// <summary>How often a class label is replaced by the null class, so one network also learns the unconditional field.</summary>
    public double LabelDropout { get; init; } = 0.1;

    /// <summary>Reflow: train on the teacher's noise-data couplings instead of independent draws; null for plain training.</summary>
    public ReflowTeacher? Teacher { get; init; }

    /// <summary>Where fashion-mnist's files are; null: where Debian's package puts them.</summary>
    public string? DataFolder { get; init; }

    /// <summary>An image folder's channels (auto: as the images are).</summary>
    [JsonConverter(typeof(ImageColorConverter))]
    public ImageColor Color { get; init; } = ImageColor.Auto;

    /// <summary>The square side an image folder's images are resized and centre-cropped to; null: as they are.</summary>
    public int? ImageSize { get; init; }

    /// <summary>Skip (and list) an image folder's undecodable images instead of stopping.</summary>
    public bool SkipBadImages { get; init; }

    /// <summary>Where an image folder's decoded pixels are cached; does not change the run.</summary>
    public string? ImageCache { get; init; }

    /// <summary>What the run fits: a velocity field (the interpolant loss) or a flow map.</summary>
    [JsonConverter(typeof(TrainingObjectiveConverter))]
    public TrainingObjective Objective { get; init; } = TrainingObjective.Interpolant;

    /// <summary>A flow map's objective settings; null: the defaults (for <see cref="TrainingObjective.Shortcut"/>).</summary>
    public FlowMapTraining? FlowMap { get; init; }

    /// <summary>A model file of this trainer whose weights start the network; null: fresh weights.</summary>
    public string? InitFrom { get; init; }

    /// <summary>Flip each drawn image horizontally with probability 1/2 (from its own seeded stream).</summary>
    public bool Flip { get; init; }

    [JsonIgnore]
    public ImageFolderOptions FolderReading => new(Color, ImageSize, SkipBadImages) { Cache = ImageCache };
}

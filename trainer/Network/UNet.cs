using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FlowMatching.Training.Network;

/// <summary>
/// The image velocity field b_t(x, y): a U-Net. A sinusoidal embedding of t through a small MLP, plus a
/// learned embedding of the class y (with a null class), conditions one residual block per level on the way
/// down (stride-2 convolutions halve the image), two at the bottom, and one per level on the way up
/// (nearest-neighbour upsampling, then the skip connection of that level concatenated). A flow map's U-Net adds
/// the same features of the step size h through its own small MLP, whose last layer starts at zero: it starts as
/// the velocity field it may be initialised from.
/// </summary>
public sealed class UNet : nn.Module<Tensor, Tensor, Tensor, Tensor>, IFieldNetwork
{
    private readonly Conv2d input;
    private readonly Linear time1;
    private readonly Linear time2;
    private readonly Linear? step1;
    private readonly Linear? step2;
    private readonly Embedding? classes;
    private readonly ModuleList<ResidualBlock> down;
    private readonly ModuleList<Conv2d> downsample;
    private readonly ModuleList<ResidualBlock> middle;
    private readonly ModuleList<ResidualBlock> up;
    private readonly GroupNorm outputNorm;
    private readonly Conv2d output;
    private readonly Tensor _frequencies;

    public UNet(UNetConfig config) : base(nameof(UNet))
    {
        config.Validate();
        Config = config;
        IReadOnlyList<int> c = config.Channels;
        int e = config.EmbeddingWidth, g = config.Groups;
        _frequencies = tensor(TimeFrequencies(config)).unsqueeze(0);
        input = nn.Conv2d(config.ImageChannels, c[0], 3, padding: 1);
        time1 = nn.Linear(config.TimeFeatures, e);
        time2 = nn.Linear(e, e);
        if (config.TakesStep)
        {
            step1 = nn.Linear(config.TimeFeatures, e);
            step2 = nn.Linear(e, e);
            using (no_grad())
            {
                step2.weight!.zero_();
                step2.bias!.zero_();
            }
        }

        classes = config.Classes > 0 ? nn.Embedding(config.Classes + 1, e) : null;
        down = nn.ModuleList(Enumerable.Range(0, c.Count - 1).Select(l => new ResidualBlock(l == 0 ? c[0] : c[l - 1], c[l], e, g)).ToArray());
        downsample = nn.ModuleList(Enumerable.Range(0, c.Count - 1).Select(l => nn.Conv2d(c[l], c[l], 3, stride: 2, padding: 1)).ToArray());
        int bottomIn = c.Count > 1 ? c[^2] : c[0];
        middle = nn.ModuleList(new ResidualBlock(bottomIn, c[^1], e, g), new ResidualBlock(c[^1], c[^1], e, g));
        up = nn.ModuleList(Enumerable.Range(0, c.Count - 1).Reverse().Select(l => new ResidualBlock((l == c.Count - 2 ? c[^1] : c[l + 1]) + c[l], c[l], e, g)).ToArray());
        outputNorm = ResidualBlock.Norm(g, c[0]);
        output = nn.Conv2d(c[0], config.ImageChannels, 3, padding: 1);
        RegisterComponents();
    }

    public UNetConfig Config { get; }

    public nn.Module Module => this;

    public bool TakesStep => Config.TakesStep;

    /// <summary>The flattened images [N, C*H*W] the trainer works with, as images and back.</summary>
    public Tensor Velocity(Tensor x, Tensor t, Tensor classes, Tensor? step = null) =>
        Forward(x.reshape(x.shape[0], Config.ImageChannels, Config.Height, Config.Width), t, classes, step).reshape(x.shape[0], -1);

    public IFieldNetwork CreateSibling() => new UNet(Config);

    /// <summary>Angular frequencies of the time features: 1000 t times 10000^(-k / half), k &lt; half (t is in [0, 1]).</summary>
    public static float[] TimeFrequencies(UNetConfig config)
    {
        int half = config.TimeFeatures / 2;
        return Enumerable.Range(0, half).Select(k => (float)(1000 * Math.Exp(-Math.Log(10000) * k / half))).ToArray();
    }

    /// <param name="x">[N, C, H, W] images.</param>
    /// <param name="t">[N] times.</param>
    /// <param name="y">[N] int64 classes, the null class for unconditional; ignored by an unconditional network.</param>
    public override Tensor forward(Tensor x, Tensor t, Tensor y) => Forward(x, t, y, null);

    private Tensor Forward(Tensor x, Tensor t, Tensor y, Tensor? step)
    {
        if (step is not null && step1 is null)
        {
            throw new ArgumentException("a velocity U-Net takes no step size", nameof(step));
        }

        Tensor embedded = time2.forward(nn.functional.silu(time1.forward(Features(t))));
        if (step1 is not null)
        {
            embedded = embedded + step2!.forward(nn.functional.silu(step1.forward(Features(step ?? zeros_like(t)))));
        }

        if (classes is not null)
        {
            embedded = embedded + classes.forward(y);
        }

        Tensor h = Convolution.Apply(input, x);
        var skips = new List<Tensor>();
        for (int level = 0; level < down.Count; level++)
        {
            h = down[level].forward(h, embedded);
            skips.Add(h);
            h = Convolution.Apply(downsample[level], h);
        }

        foreach (ResidualBlock block in middle)
        {
            h = block.forward(h, embedded);
        }

        for (int i = 0; i < up.Count; i++)
        {
            h = nn.functional.interpolate(h, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
            h = up[i].forward(cat([h, skips[^(i + 1)]], 1), embedded);
        }

        return Convolution.Apply(output, nn.functional.silu(outputNorm.forward(h)));
    }

    private Tensor Features(Tensor time)
    {
        Tensor angles = time.unsqueeze(-1) * _frequencies.to(time.device);
        return cat([angles.sin(), angles.cos()], 1);
    }

    /// <summary>Every parameter by its module path (input.weight, down.0.conv1.bias, ...) with its shape, for the exporter.</summary>
    public IReadOnlyDictionary<string, (float[] Values, long[] Shape)> Parameters() =>
        named_parameters().ToDictionary(
            p => p.name,
            p => (p.parameter.detach().cpu().contiguous().data<float>().ToArray(), p.parameter.shape));
}

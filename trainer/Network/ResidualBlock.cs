using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FlowMatching.Training.Network;

/// <summary>
/// GroupNorm, SiLU, 3x3 convolution, plus the projected time/class embedding; again GroupNorm, SiLU, 3x3
/// convolution; added to the input (through a 1x1 convolution where the width changes).
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly GroupNorm norm1;
    private readonly Conv2d conv1;
    private readonly Linear embedding;
    private readonly GroupNorm norm2;
    private readonly Conv2d conv2;
    private readonly Conv2d? skip;

    public ResidualBlock(int inChannels, int outChannels, int embeddingWidth, int groups) : base(nameof(ResidualBlock))
    {
        norm1 = Norm(groups, inChannels);
        conv1 = nn.Conv2d(inChannels, outChannels, 3, padding: 1);
        embedding = nn.Linear(embeddingWidth, outChannels);
        norm2 = Norm(groups, outChannels);
        conv2 = nn.Conv2d(outChannels, outChannels, 3, padding: 1);
        skip = inChannels == outChannels ? null : nn.Conv2d(inChannels, outChannels, 1);
        RegisterComponents();
    }

    /// <summary>
    /// A GroupNorm with its affine parameters set to 1 and 0: TorchSharp 0.107 leaves them uninitialised
    /// (measured: values up to 1e30), which turns the whole network's output into NaN.
    /// </summary>
    public static GroupNorm Norm(int groups, int channels)
    {
        GroupNorm norm = nn.GroupNorm(groups, channels);
        using (no_grad())
        {
            norm.weight!.fill_(1);
            norm.bias!.zero_();
        }

        return norm;
    }

    public override Tensor forward(Tensor x, Tensor embedded)
    {
        Tensor h = Convolution.Apply(conv1, nn.functional.silu(norm1.forward(x)));
        h = h + embedding.forward(nn.functional.silu(embedded)).unsqueeze(-1).unsqueeze(-1);
        h = Convolution.Apply(conv2, nn.functional.silu(norm2.forward(h)));
        return (skip is null ? x : Convolution.Apply(skip, x)) + h;
    }
}

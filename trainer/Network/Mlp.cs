using FlowMatching.Contract;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FlowMatching.Training.Network;

/// <summary>The tutorial's velocity field b_t(x): an MLP on the concatenation [x, t] (or [x, features of t]).</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor, Tensor>, IFieldNetwork
{
    private readonly Sequential net;
    private readonly Linear[] _linears;
    private readonly Tensor? _frequencies;

    public Mlp(int dimension, IReadOnlyList<int> hidden, Activation activation, TimeEmbedding? timeEmbedding = null) : base(nameof(Mlp))
    {
        Dimension = dimension;
        Hidden = hidden.ToArray();
        Activation = activation;
        TimeEmbedding = timeEmbedding ?? TimeEmbedding.None;
        _frequencies = TimeEmbedding.Frequencies > 0 ? tensor(TimeEmbedding.AngularFrequencies).unsqueeze(0) : null;
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var linears = new List<Linear>();
        int width = dimension + TimeEmbedding.Width;
        foreach (int size in hidden.Append(dimension))
        {
            Linear linear = nn.Linear(width, size);
            linears.Add(linear);
            modules.Add(($"{modules.Count}", linear));
            if (linears.Count <= hidden.Count)
            {
                modules.Add(($"{modules.Count}", Activations.Create(activation)));
            }

            width = size;
        }

        _linears = linears.ToArray();
        net = nn.Sequential(modules);
        RegisterComponents();
    }

    public int Dimension { get; }

    public IReadOnlyList<int> Hidden { get; }

    public Activation Activation { get; }

    public TimeEmbedding TimeEmbedding { get; }

    /// <param name="x">[N, d] points.</param>
    /// <param name="t">[N] times.</param>
    public override Tensor forward(Tensor x, Tensor t)
    {
        Tensor column = t.unsqueeze(-1);
        if (_frequencies is null)
        {
            return net.forward(cat([x, column], 1));
        }

        Tensor angles = column * _frequencies.to(x.device);
        return net.forward(cat([x, angles.sin(), angles.cos()], 1));
    }

    public nn.Module Module => this;

    public Tensor Velocity(Tensor x, Tensor t, Tensor classes) => forward(x, t);

    public IFieldNetwork CreateSibling() => new Mlp(Dimension, Hidden, Activation, TimeEmbedding);

    public NetworkWeights ToWeights() => new(
        Dimension,
        Activation,
        TimeEmbedding,
        _linears.Select(l => new DenseLayer(
            (int)l.in_features,
            (int)l.out_features,
            ToArray(l.weight!),
            ToArray(l.bias!))).ToArray());

    private static float[] ToArray(Tensor tensor) => tensor.detach().cpu().contiguous().data<float>().ToArray();
}

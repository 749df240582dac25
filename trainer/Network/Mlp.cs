using FlowMatching.Contract;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FlowMatching.Training.Network;

/// <summary>
/// The tutorial's velocity field b_t(x): an MLP on the concatenation [x, t] (or [x, features of t]). A flow map's MLP
/// takes [x, features of t, features of h], h embedded as t is.
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor, Tensor>, IFieldNetwork
{
    private readonly Sequential net;
    private readonly Linear[] _linears;
    private readonly Tensor? _frequencies;

    public Mlp(int dimension, IReadOnlyList<int> hidden, Activation activation, TimeEmbedding? timeEmbedding = null, bool takesStep = false) : base(nameof(Mlp))
    {
        Dimension = dimension;
        TakesStep = takesStep;
        Hidden = hidden.ToArray();
        Activation = activation;
        TimeEmbedding = timeEmbedding ?? TimeEmbedding.None;
        _frequencies = TimeEmbedding.Frequencies > 0 ? tensor(TimeEmbedding.AngularFrequencies).unsqueeze(0) : null;
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var linears = new List<Linear>();
        int width = dimension + TimeEmbedding.Width * (takesStep ? 2 : 1);
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

    public bool TakesStep { get; }

    /// <param name="x">[N, d] points.</param>
    /// <param name="t">[N] times.</param>
    public override Tensor forward(Tensor x, Tensor t) => Forward(x, t, null);

    public nn.Module Module => this;

    public Tensor Velocity(Tensor x, Tensor t, Tensor classes, Tensor? step = null) => Forward(x, t, step);

    public IFieldNetwork CreateSibling() => new Mlp(Dimension, Hidden, Activation, TimeEmbedding, TakesStep);

    public NetworkWeights ToWeights() => new(
        Dimension,
        Activation,
        TimeEmbedding,
        _linears.Select(l => new DenseLayer(
            (int)l.in_features,
            (int)l.out_features,
            ToArray(l.weight!),
            ToArray(l.bias!))).ToArray())
    {
        TakesStep = TakesStep,
    };

    /// <summary>The affine layers in order; the first one's columns are [x, features of t(, features of h)].</summary>
    public IReadOnlyList<Linear> Layers => _linears;

    private Tensor Forward(Tensor x, Tensor t, Tensor? step)
    {
        if (step is not null && !TakesStep)
        {
            throw new ArgumentException("a velocity MLP takes no step size", nameof(step));
        }

        Tensor[] features = TakesStep ? [x, .. Features(t), .. Features(step ?? zeros_like(t))] : [x, .. Features(t)];
        return net.forward(cat(features, 1));
    }

    private Tensor[] Features(Tensor time)
    {
        Tensor column = time.unsqueeze(-1);
        if (_frequencies is null)
        {
            return [column];
        }

        Tensor angles = column * _frequencies.to(time.device);
        return [angles.sin(), angles.cos()];
    }

    private static float[] ToArray(Tensor tensor) => tensor.detach().cpu().contiguous().data<float>().ToArray();
}

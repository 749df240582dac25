using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FlowMatching.Training.Network;

/// <summary>The tutorial's velocity field b_t(x): an MLP on the concatenation [x, t].</summary>
public sealed class VelocityNetwork : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Sequential net;
    private readonly Linear[] _linears;

    public VelocityNetwork(int dimension, IReadOnlyList<int> hidden, string activation) : base(nameof(VelocityNetwork))
    {
        Dimension = dimension;
        Hidden = hidden.ToArray();
        ActivationName = activation;
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var linears = new List<Linear>();
        int width = dimension + 1;
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

    public string ActivationName { get; }

    /// <param name="x">[N, d] points.</param>
    /// <param name="t">[N] times.</param>
    public override Tensor forward(Tensor x, Tensor t) => net.forward(cat([x, t.unsqueeze(-1)], 1));

    public NetworkWeights ToWeights() => new(
        Dimension,
        ActivationName,
        _linears.Select(l => new DenseLayer(
            (int)l.in_features,
            (int)l.out_features,
            ToArray(l.weight!),
            ToArray(l.bias!))).ToArray());

    private static float[] ToArray(Tensor tensor) => tensor.detach().cpu().contiguous().data<float>().ToArray();
}

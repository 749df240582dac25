using FlowMatching.Contract;

namespace FlowMatching.Training.Network;

/// <summary>One affine layer y = W x + b, W stored row-major [Outputs, Inputs] as TorchSharp keeps it.</summary>
public sealed record DenseLayer(int Inputs, int Outputs, float[] Weight, float[] Bias);

/// <summary>
/// A trained velocity MLP as plain numbers, free of TorchSharp: input [x, t] or [x, sin(w t), cos(w t)],
/// the hidden layers each followed by <see cref="Activation"/>, then a final linear layer to d outputs. A flow map's
/// input adds the step size's features after the time's.
/// </summary>
public sealed record NetworkWeights(int Dimension, Activation Activation, TimeEmbedding TimeEmbedding, IReadOnlyList<DenseLayer> Layers)
{
    public bool TakesStep { get; init; }

    public IReadOnlyList<int> Hidden => Layers.Take(Layers.Count - 1).Select(l => l.Outputs).ToArray();
}

using TorchSharp;
using static TorchSharp.torch;

namespace FlowMatching.Training.Network;

/// <summary>
/// A trainable velocity field as the trainer sees it: points (or flattened images) [N, d], times [N] and
/// classes [N] in, velocities [N, d] out. The MLP ignores the classes.
/// </summary>
public interface IFieldNetwork : IDisposable
{
    /// <summary>The TorchSharp module: its parameters, device and serialisation.</summary>
    nn.Module Module { get; }

    Tensor Velocity(Tensor x, Tensor t, Tensor classes);

    /// <summary>A network of the same shape with fresh weights (the home of a weight average).</summary>
    IFieldNetwork CreateSibling();
}

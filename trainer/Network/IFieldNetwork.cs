using TorchSharp;
using static TorchSharp.torch;

namespace FlowMatching.Training.Network;

/// <summary>
/// A trainable velocity field as the trainer sees it: points (or flattened images) [N, d], times [N] and
/// classes [N] in, velocities [N, d] out. The MLP ignores the classes. A flow map's network also takes each row's
/// step size h [N] and returns the average velocity over [t, t + h]; at h = 0 (or no step given) its velocity.
/// </summary>
public interface IFieldNetwork : IDisposable
{
    /// <summary>The TorchSharp module: its parameters, device and serialisation.</summary>
    nn.Module Module { get; }

    /// <summary>True for a flow map's network, which takes the step size h.</summary>
    bool TakesStep { get; }

    /// <param name="step">[N] step sizes, for a network that <see cref="TakesStep"/>; null: h = 0.</param>
    Tensor Velocity(Tensor x, Tensor t, Tensor classes, Tensor? step = null);

    /// <summary>A network of the same shape with fresh weights (the home of a weight average).</summary>
    IFieldNetwork CreateSibling();
}

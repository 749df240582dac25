using System.Text.Json.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace FlowMatching.Training.Network;

/// <summary>The activations a velocity MLP may use, each one that the ONNX exporter can write at opset 17.</summary>
[JsonConverter(typeof(ActivationConverter))]
public enum Activation
{
    Relu,
    Silu,
    Gelu,
}

public static class Activations
{
    /// <summary>The names model metadata, checkpoints, graph node names and the command line all use.</summary>
    public static NameTable<Activation> Names { get; } = NameTable<Activation>.Lowercase();

    public static string Name(this Activation activation) => Names.Name(activation);

    public static nn.Module<Tensor, Tensor> Create(Activation activation) => activation switch
    {
        Activation.Relu => nn.ReLU(),
        Activation.Silu => nn.SiLU(),
        Activation.Gelu => nn.GELU(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };
}

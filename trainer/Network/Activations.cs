using FlowMatching.Errors;
using TorchSharp;
using static TorchSharp.torch;

namespace FlowMatching.Training.Network;

/// <summary>The activations a velocity network may use, each one that the ONNX exporter can write at opset 17.</summary>
public static class Activations
{
    public static IReadOnlyList<string> Names { get; } = ["relu", "silu", "gelu"];

    public static nn.Module<Tensor, Tensor> Create(string name) => name switch
    {
        "relu" => nn.ReLU(),
        "silu" => nn.SiLU(),
        "gelu" => nn.GELU(),
        _ => throw new InvalidSettingException("Activation", $"unknown activation '{name}' (known: {string.Join(", ", Names)})"),
    };
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FlowMatching.Training.Network;

/// <summary>
/// A convolution applied so that its gradients are right on every CPU. libtorch 2.10's oneDNN (3.7.1) on
/// AVX-512 computes wrong input gradients (garbage, NaN) for a convolution with a channel count (in or out)
/// that is not a multiple of 16, in its blocked layout; a channels-last input takes its NHWC kernels, which are
/// right. Turning oneDNN off instead was measured 4x slower.
/// </summary>
public static class Convolution
{
    public static Tensor Apply(Conv2d convolution, Tensor x) =>
        (convolution.weight!.shape[0] % 16 == 0 && convolution.weight.shape[1] % 16 == 0) || x.device_type != DeviceType.CPU
            ? convolution.forward(x)
            : convolution.forward(ChannelsLast(x));

    /// <summary>The same values with NHWC strides (TorchSharp 0.107 has no memory_format argument).</summary>
    private static Tensor ChannelsLast(Tensor x) => x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
}

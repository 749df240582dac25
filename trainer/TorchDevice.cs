using FlowMatching.Errors;
using TorchSharp;

namespace FlowMatching.Training;

/// <summary>Where TorchSharp trains.</summary>
public enum DeviceChoice
{
    /// <summary>CUDA when TorchSharp sees a device, else the CPU.</summary>
    Auto,
    Cpu,
    Cuda,
}

public static class DeviceChoices
{
    /// <summary>The names the command line and checkpoints use.</summary>
    public static NameTable<DeviceChoice> Names { get; } = NameTable<DeviceChoice>.Lowercase();
}

/// <summary>Resolves a <see cref="DeviceChoice"/> to a TorchSharp device, with a line saying which and why.</summary>
public static class TorchDevice
{
    public static (torch.Device Device, string Description) Select(DeviceChoice choice)
    {
        bool cuda = torch.cuda.is_available();
        return choice switch
        {
            DeviceChoice.Cuda when !cuda => throw new ProviderUnavailableException("CUDA", "TorchSharp finds no usable CUDA device; this build's libtorch backend is set by the LibTorchBackend MSBuild property"),
            DeviceChoice.Cuda => (torch.CUDA, "training on CUDA"),
            DeviceChoice.Auto when cuda => (torch.CUDA, "training on CUDA"),
            DeviceChoice.Cpu => (torch.CPU, "training on CPU"),
            _ => (torch.CPU, "training on CPU (no CUDA device available to TorchSharp)"),
        };
    }
}

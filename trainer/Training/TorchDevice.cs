using TorchSharp;

namespace FlowMatching.Training.Training;

/// <summary>Chooses where TorchSharp trains: CUDA when asked for or available, CPU otherwise, and says which.</summary>
public static class TorchDevice
{
    public static torch.Device Select(string choice)
    {
        bool cuda = torch.cuda.is_available();
        switch (choice)
        {
            case "cuda" when !cuda:
                throw new UserInputException("--device cuda: TorchSharp finds no usable CUDA device (this build's libtorch backend is set by the LibTorchBackend MSBuild property)");
            case "cuda":
            case "auto" when cuda:
                Console.Error.WriteLine("trainer: training on CUDA");
                return torch.CUDA;
            default:
                Console.Error.WriteLine(choice == "cpu" ? "trainer: training on CPU" : "trainer: training on CPU (no CUDA device available to TorchSharp)");
                return torch.CPU;
        }
    }
}

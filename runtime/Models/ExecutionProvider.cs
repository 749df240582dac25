using Microsoft.ML.OnnxRuntime;

namespace FlowMatching.Runtime.Models;

/// <summary>
/// Picks ONNX Runtime's execution provider: CUDA when asked for or when it loads, CPU otherwise.
/// ORT has no automatic fallback in C#: appending CUDA throws when its libraries are missing.
/// </summary>
public static class ExecutionProvider
{
    public static IReadOnlyList<string> Choices { get; } = ["auto", "cpu", "cuda"];

    /// <summary>Session options for the choice, and the name of the provider they use.</summary>
    /// <param name="threads">CPU threads for one operator; 0 lets ONNX Runtime choose. Results do not depend on it.</param>
    public static (SessionOptions Options, string Provider) Create(string choice, int threads = 0)
    {
        QuietEnvironment();
        var options = CpuOptions(threads);
        if (choice == "cpu")
        {
            return (options, "CPU");
        }

        try
        {
            options.AppendExecutionProvider_CUDA(0);
            return (options, "CUDA");
        }
        catch (OnnxRuntimeException e)
        {
            options.Dispose();
            if (choice == "cuda")
            {
                throw new UserInputException($"--provider cuda: the CUDA execution provider does not load here ({FirstLine(e.Message)}); use --provider cpu or auto");
            }

            return (CpuOptions(threads), "CPU (CUDA provider unavailable)");
        }
    }

    private static SessionOptions CpuOptions(int threads) =>
        new() { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, IntraOpNumThreads = threads };

    // ORT logs a failed CUDA load as an error line of its own; this product reports the fallback itself.
    private static void QuietEnvironment()
    {
        if (!OrtEnv.IsCreated)
        {
            var quiet = new EnvironmentCreationOptions { logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            OrtEnv.CreateInstanceWithOptions(ref quiet);
        }
    }

    public static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}

using FlowMatching.Errors;
using FlowMatching.Runtime.Options;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace FlowMatching.Runtime.Models;

/// <summary>
/// Picks ONNX Runtime's execution provider: CUDA when asked for or when it loads, CPU otherwise.
/// ORT has no automatic fallback in C#: appending CUDA throws when its libraries are missing.
/// </summary>
public static class ExecutionProvider
{
    /// <summary>
    /// Session options for the choice, and whether they run on CUDA. On the CPU a session is single-threaded:
    /// the runtime spreads a batch's rows over sessions instead (<see cref="RowParallelField"/>).
    /// </summary>
    public static (SessionOptions Options, bool Cuda) Create(ExecutionProviderKind choice, ILogger logger)
    {
        QuietEnvironment();
        var options = CpuOptions();
        if (choice == ExecutionProviderKind.Cpu)
        {
            return (options, false);
        }

        try
        {
            options.AppendExecutionProvider_CUDA(0);
            return (options, true);
        }
        catch (OnnxRuntimeException e)
        {
            options.Dispose();
            if (choice == ExecutionProviderKind.Cuda)
            {
                throw new ProviderUnavailableException("CUDA", FirstLine(e.Message));
            }

            logger.LogInformation("the CUDA execution provider does not load here ({Reason}); running on the CPU", FirstLine(e.Message));
            return (CpuOptions(), false);
        }
    }

    /// <summary>Options for one single-threaded CPU session.</summary>
    public static SessionOptions CpuOptions() =>
        new() { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, IntraOpNumThreads = 1 };

    // ORT logs a failed CUDA load as an error line of its own; this library reports the fallback itself.
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

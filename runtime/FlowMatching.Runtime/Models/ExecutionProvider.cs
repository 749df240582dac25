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

        string? reason = AppendCuda(options);
        if (reason is null)
        {
            return (options, true);
        }

        options.Dispose();
        if (choice == ExecutionProviderKind.Cuda)
        {
            throw new ProviderUnavailableException("CUDA", reason);
        }

        // Asked for nothing in particular, a user needs one short line; ONNX Runtime's own wording only when debugging.
        logger.LogInformation("running on the CPU (no CUDA here)");
        logger.LogDebug("the CUDA execution provider does not load: {Reason}", reason);
        return (CpuOptions(), false);
    }

    // Null when CUDA was appended, else why not. The application picks ONNX Runtime's native build, and the
    // CPU one has no CUDA provider to append.
    private static string? AppendCuda(SessionOptions options)
    {
        if (!OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider"))
        {
            return "this ONNX Runtime build has no CUDA provider";
        }

        try
        {
            options.AppendExecutionProvider_CUDA(0);
            return null;
        }
        catch (OnnxRuntimeException e)
        {
            return FirstLine(e.Message);
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

using FlowMatching.Interpolants;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlowMatching.Runtime.Options;

/// <summary>How a model is opened.</summary>
public sealed record ModelLoadOptions
{
    public ExecutionProviderKind Provider { get; init; } = ExecutionProviderKind.Auto;

    /// <summary>
    /// CPU threads (0: one per core). The model gets a single-threaded ONNX Runtime session per thread, each
    /// running its own block of a batch's rows (a velocity model at every evaluation, a sampler graph once per
    /// chunk). Results do not depend on it.
    /// </summary>
    public int Threads { get; init; }

    /// <summary>
    /// The interpolant of a model that carries no metadata (one from torch.onnx.export, say; linear when
    /// null). For this project's models it must agree with the metadata.
    /// </summary>
    public IInterpolant? Interpolant { get; init; }

    /// <summary>
    /// The classes and pixel range of a model that carries no metadata (<see cref="ModelDescription"/>); refused for
    /// a model that carries its own.
    /// </summary>
    public ModelDescription? Description { get; init; }

    /// <summary>Where the library says which provider it chose and what it loaded; silent by default.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}

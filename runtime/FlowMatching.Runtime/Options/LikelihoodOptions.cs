using FlowMatching.Contract;
using FlowMatching.Errors;

namespace FlowMatching.Runtime.Options;

/// <summary>How log rho_1(x) is computed: the ODE run backwards from t = 1 to 0 with the divergence of b.</summary>
public sealed record LikelihoodOptions
{
    public const int DefaultChunk = 5000;

    /// <summary>Exact divergence is the default up to this dimension, Hutchinson's estimate above it.</summary>
    public const int ExactDivergenceUpTo = 16;

    public OdeSolverOptions Solver { get; init; } = new() { Method = OdeMethod.RungeKutta4, Steps = 100 };

    /// <summary>Null: exact for d up to <see cref="ExactDivergenceUpTo"/>, Hutchinson above.</summary>
    public DivergenceEstimator? Divergence { get; init; }

    /// <summary>Rademacher probes a step for Hutchinson's estimate.</summary>
    public int? Probes { get; init; }

    public int Chunk { get; init; } = DefaultChunk;

    public DivergenceEstimator EstimatorFor(int dimension) =>
        Divergence ?? (dimension <= ExactDivergenceUpTo ? DivergenceEstimator.Exact : DivergenceEstimator.Hutchinson);

    public void Validate(int dimension)
    {
        Solver.Validate();
        if (Probes is not null && EstimatorFor(dimension) == DivergenceEstimator.Exact)
        {
            throw new InvalidSettingException(nameof(Probes), "apply only to the hutchinson divergence estimate");
        }

        if (Probes is < 1 or > 10_000)
        {
            throw new InvalidSettingException(nameof(Probes), $"must be between 1 and 10000, not {Probes}");
        }

        if (Chunk < 1)
        {
            throw new InvalidSettingException(nameof(Chunk), $"must be at least 1, not {Chunk}");
        }
    }
}

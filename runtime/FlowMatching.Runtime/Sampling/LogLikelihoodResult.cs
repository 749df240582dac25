using FlowMatching.Runtime.Options;

namespace FlowMatching.Runtime.Sampling;

/// <summary>log rho_1(x) of each point, with what it cost: field evaluations a chunk (of the augmented field) and the estimator used.</summary>
public sealed record LogLikelihoodResult(double[] LogDensity, int Evaluations, DivergenceEstimator Estimator)
{
    /// <summary>The mean negative log-likelihood in nats.</summary>
    public double MeanNegativeLogLikelihood => -LogDensity.Average();
}

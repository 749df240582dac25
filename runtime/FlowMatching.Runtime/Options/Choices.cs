using FlowMatching.Contract;

namespace FlowMatching.Runtime.Options;

/// <summary>Where ONNX Runtime evaluates the network.</summary>
public enum ExecutionProviderKind
{
    /// <summary>CUDA when its libraries load on this machine, the CPU otherwise (the choice is logged).</summary>
    Auto,
    Cpu,
    /// <summary>CUDA or an error: never a silent fall back to the CPU.</summary>
    Cuda,
}

/// <summary>The two ways of pushing base samples to the data: the probability-flow ODE or the SDE.</summary>
public enum SamplerKind
{
    Ode,
    Sde,
}

/// <summary>Integrators of the generative SDE dX = (b + eps_t s) dt + sqrt(2 eps_t) dW.</summary>
public enum SdeMethod
{
    /// <summary>Euler-Maruyama, the tutorial's.</summary>
    EulerMaruyama,
    StochasticHeun,
}

/// <summary>The SDE's diffusion coefficient eps_t.</summary>
public enum DiffusionSchedule
{
    /// <summary>eps_t = eps alpha_t, the tutorial's: vanishes at t = 1.</summary>
    Alpha,
    /// <summary>eps_t = eps.</summary>
    Constant,
}

/// <summary>How the divergence of b is computed for log-likelihoods.</summary>
public enum DivergenceEstimator
{
    /// <summary>The Jacobian's trace by central differences: 2d extra evaluations.</summary>
    Exact,
    /// <summary>Hutchinson's estimate over Rademacher probes: 2 evaluations a probe, any dimension.</summary>
    Hutchinson,
}

using static TorchSharp.torch;

namespace FlowMatching.Training;

/// <summary>
/// The stochastic-interpolant loss for the velocity, 0.5 |b_t(I_t)|^2 - b_t(I_t) . dI_t/dt, averaged over
/// the batch. It equals 0.5 |b - dI/dt|^2 up to a term free of b, so its minimiser is b = E[dI/dt | I_t].
/// </summary>
public static class InterpolantLoss
{
    /// <param name="velocity">[N, d] the network's b_t(I_t).</param>
    /// <param name="interpolantVelocity">[N, d] dI_t/dt.</param>
    public static Tensor Compute(Tensor velocity, Tensor interpolantVelocity) =>
        (0.5 * velocity.pow(2).sum(1) - (interpolantVelocity * velocity).sum(1)).mean();

}

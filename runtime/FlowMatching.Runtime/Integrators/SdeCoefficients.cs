using FlowMatching.Interpolants;
using FlowMatching.Runtime.Options;

namespace FlowMatching.Runtime.Integrators;

/// <summary>
/// The generative SDE dX = (b + eps_t s) dt + sqrt(2 eps_t) dW of an interpolant. eps_t is eps * alpha_t
/// (the tutorial's, which vanishes at t = 1) or the constant eps. eps_t s is always formed from alpha s,
/// which is finite at every t, so the tutorial's choice never divides by alpha.
/// </summary>
public sealed class SdeCoefficients(IInterpolant interpolant, double eps, DiffusionSchedule schedule)
{
    private readonly bool _constant = schedule == DiffusionSchedule.Constant;

    public double Diffusion(double t) => _constant ? eps : eps * interpolant.Alpha(t);

    public double Drift(double t, double velocity, double x)
    {
        double alphaScore = interpolant.AlphaScore(t, velocity, x);
        return velocity + (_constant ? eps * alphaScore / interpolant.Alpha(t) : eps * alphaScore);
    }
}

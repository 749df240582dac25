namespace FlowMatching.Interpolants;

/// <summary>The tutorial's interpolant: alpha_t = 1 - t, beta_t = t.</summary>
public sealed class LinearInterpolant : IInterpolant
{
    public string Name => "linear";

    public double Alpha(double t) => 1.0 - t;

    public double Beta(double t) => t;

    public double AlphaDot(double t) => -1.0;

    public double BetaDot(double t) => 1.0;
}

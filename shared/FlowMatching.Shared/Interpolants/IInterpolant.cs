namespace FlowMatching.Interpolants;

/// <summary>
/// The schedule of the stochastic interpolant I_t = alpha_t x0 + beta_t x1, with alpha_0 = beta_1 = 1
/// and alpha_1 = beta_0 = 0.
/// </summary>
public interface IInterpolant
{
    string Name { get; }

    double Alpha(double t);

    double Beta(double t);

    double AlphaDot(double t);

    double BetaDot(double t);

    double Value(double t, double x0, double x1) => Alpha(t) * x0 + Beta(t) * x1;

    double TimeDerivative(double t, double x0, double x1) => AlphaDot(t) * x0 + BetaDot(t) * x1;

    /// <summary>
    /// alpha_t times the score, written so that it stays finite at t = 1 where alpha vanishes:
    /// alpha s = (beta b - beta' x) / (alpha beta' - alpha' beta).
    /// </summary>
    double AlphaScore(double t, double velocity, double x) =>
        (Beta(t) * velocity - BetaDot(t) * x) / (Alpha(t) * BetaDot(t) - AlphaDot(t) * Beta(t));
}

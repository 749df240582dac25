namespace FlowMatching.Interpolants;

/// <summary>alpha_t = cos(pi t / 2), beta_t = sin(pi t / 2): variance preserving for independent unit-variance ends.</summary>
public sealed class TrigonometricInterpolant : IInterpolant
{
    public string Name => "trig";

    public double Alpha(double t) => Math.Cos(Math.PI * t / 2);

    public double Beta(double t) => Math.Sin(Math.PI * t / 2);

    public double AlphaDot(double t) => -Math.PI / 2 * Math.Sin(Math.PI * t / 2);

    public double BetaDot(double t) => Math.PI / 2 * Math.Cos(Math.PI * t / 2);
}

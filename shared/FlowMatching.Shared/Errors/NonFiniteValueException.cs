namespace FlowMatching.Errors;

/// <summary>A velocity field returned NaN or infinity: integrating on would only spread it over every sample.</summary>
public sealed class NonFiniteValueException(double t, string what)
    : FlowMatchingException($"{what} is not finite at t = {t:R}")
{
    public double Time { get; } = t;
}

namespace FlowMatching.Errors;

/// <summary>An adaptive solver needed more steps than it was allowed to reach the end time.</summary>
public sealed class StepLimitException(int maxSteps, double t)
    : FlowMatchingException($"the adaptive solver needed more than {maxSteps} steps and stopped at t = {t:F4}; loosen its tolerances or raise its step cap")
{
    public int MaxSteps { get; } = maxSteps;

    public double Time { get; } = t;
}

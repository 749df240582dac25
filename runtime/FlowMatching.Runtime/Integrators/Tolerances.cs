using FlowMatching.Errors;

namespace FlowMatching.Runtime.Integrators;

/// <summary>How closely the adaptive dopri5 solver must follow the exact flow, and how many steps it may take.</summary>
public sealed record Tolerances(double Relative = 1e-5, double Absolute = 1e-5, int MaxSteps = 10000)
{
    public void Validate()
    {
        if (!(Relative >= 1e-12 && Relative <= 1))
        {
            throw new InvalidSettingException("RelativeTolerance", $"must be between 1E-12 and 1, not {Relative}");
        }

        if (!(Absolute >= 1e-12 && Absolute <= 1))
        {
            throw new InvalidSettingException("AbsoluteTolerance", $"must be between 1E-12 and 1, not {Absolute}");
        }

        if (MaxSteps is < 1 or > 10_000_000)
        {
            throw new InvalidSettingException(nameof(MaxSteps), $"must be between 1 and 10000000, not {MaxSteps}");
        }
    }
}

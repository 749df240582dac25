using FlowMatching.Errors;
using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Models;

/// <summary>
/// Stops at the first NaN or infinite velocity a model returns: integrating on would turn every sample
/// into NaN and still look like success.
/// </summary>
/// <param name="inner">The field checked.</param>
/// <param name="model">Whose velocity it is, for the message: the model file.</param>
public sealed class FiniteVelocityField(IVelocityField inner, string model = "the model") : IVelocityField
{
    public int Dimension => inner.Dimension;

    public void Evaluate(double t, ReadOnlySpan<float> points, Span<float> velocity)
    {
        inner.Evaluate(t, points, velocity);
        for (int i = 0; i < velocity.Length; i++)
        {
            if (!float.IsFinite(velocity[i]))
            {
                throw new NonFiniteValueException(t, $"{model}'s velocity at point {i / inner.Dimension} of the batch");
            }
        }
    }
}

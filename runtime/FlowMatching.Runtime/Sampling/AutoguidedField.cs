using FlowMatching.Errors;
using FlowMatching.Runtime.Models;

namespace FlowMatching.Runtime.Sampling;

/// <summary>
/// v = v_weak + w (v_model - v_weak) for every row, with its class: see <see cref="Options.Autoguidance"/>. The
/// two networks run one after the other on the same rows; the weak velocity's buffer is kept per batch size.
/// </summary>
public sealed class AutoguidedField(IClassConditionalField model, IClassConditionalField weak, double weight, string weakSource = "the weak model") : IClassConditionalField
{
    private float[] _weak = [];

    public int Dimension => model.Dimension;

    public int Classes => model.Classes;

    public void Evaluate(double t, ReadOnlySpan<float> points, Span<float> velocity) => Evaluate(t, points, [], velocity);

    public void Evaluate(double t, ReadOnlySpan<float> points, ReadOnlySpan<long> classes, Span<float> velocity)
    {
        model.Evaluate(t, points, classes, velocity);
        if (_weak.Length != velocity.Length)
        {
            _weak = new float[velocity.Length];
        }

        weak.Evaluate(t, points, classes, _weak);
        // A broken weak model is named as itself: the combination would only say the model's velocity went bad.
        int bad = Array.FindIndex(_weak, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            throw new NonFiniteValueException(t, $"the weak model {weakSource}'s velocity at point {bad / Dimension} of the batch");
        }

        for (int i = 0; i < velocity.Length; i++)
        {
            velocity[i] = (float)(_weak[i] + (weight * (velocity[i] - _weak[i])));
        }
    }
}

using FlowMatching.Runtime.Models;

namespace FlowMatching.Runtime.Sampling;

/// <summary>
/// v = v_weak + w (v_model - v_weak) for every row, with its class: see <see cref="Options.Autoguidance"/>. The
/// two networks run one after the other on the same rows; the weak velocity's buffer is kept per batch size.
/// </summary>
public sealed class AutoguidedField(IClassConditionalField model, IClassConditionalField weak, double weight) : IClassConditionalField
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
        for (int i = 0; i < velocity.Length; i++)
        {
            velocity[i] = (float)(_weak[i] + (weight * (velocity[i] - _weak[i])));
        }
    }
}

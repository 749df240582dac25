using FlowMatching.Runtime.Models;
using FlowMatching.Runtime.Options;

namespace FlowMatching.Runtime.Sampling;

/// <summary>
/// Classifier-free guidance as a wrapper around a class-conditional field: with guidance w != 1 at time t, the
/// rows (with their classes) and the same rows with the null class go to the network as one batch of 2n rows,
/// combined as v_uncond + w (v_cond - v_uncond); at times outside the guidance interval only the rows' own classes
/// are evaluated. Buffers are kept per batch size, so steps allocate nothing.
/// </summary>
public sealed class GuidedField(IClassConditionalField inner, Conditioning conditioning) : IClassConditionalField
{
    private long[] _pairedClasses = [];
    private float[] _pairedPoints = [];
    private float[] _pairedVelocity = [];

    public int Dimension => inner.Dimension;

    public int Classes => inner.Classes;

    public void Evaluate(double t, ReadOnlySpan<float> points, Span<float> velocity) => inner.Evaluate(t, points, velocity);

    public void Evaluate(double t, ReadOnlySpan<float> points, ReadOnlySpan<long> classes, Span<float> velocity)
    {
        double w = conditioning.GuidanceAt(t);
        if (w == 1 || conditioning.Classes == ClassSelection.None)
        {
            inner.Evaluate(t, points, classes, velocity);
            return;
        }

        int length = points.Length, n = classes.Length;
        if (_pairedPoints.Length != 2 * length)
        {
            _pairedPoints = new float[2 * length];
            _pairedVelocity = new float[2 * length];
        }

        if (_pairedClasses.Length != 2 * n)
        {
            _pairedClasses = new long[2 * n];
        }

        classes.CopyTo(_pairedClasses);
        _pairedClasses.AsSpan(n).Fill(inner.Classes);
        points.CopyTo(_pairedPoints);
        points.CopyTo(_pairedPoints.AsSpan(length));
        inner.Evaluate(t, _pairedPoints, _pairedClasses, _pairedVelocity);
        for (int i = 0; i < length; i++)
        {
            double unconditional = _pairedVelocity[length + i];
            velocity[i] = (float)(unconditional + w * (_pairedVelocity[i] - unconditional));
        }
    }
}

using FlowMatching.Runtime.Models;
using FlowMatching.Runtime.Options;
using FlowMatching.Velocity;

namespace FlowMatching.Runtime.Sampling;

/// <summary>
/// A class-conditional field seen as a plain velocity field for one chunk of samples at a time: each row gets
/// its sample's class, and with guidance w != 1 the conditional and unconditional halves go to the network
/// as one batch of 2n rows, combined as v_uncond + w (v_cond - v_uncond); at times outside the guidance
/// interval only the conditional half is evaluated. Buffers are kept per batch size, so steps allocate nothing.
/// </summary>
public sealed class GuidedField(IClassConditionalField inner, Conditioning conditioning) : IVelocityField
{
    private long[] _classes = [];
    private long[] _pairedClasses = [];
    private float[] _pairedPoints = [];
    private float[] _pairedVelocity = [];

    public int Dimension => inner.Dimension;

    /// <summary>Sets the classes of samples <paramref name="first"/> .. <paramref name="first"/> + <paramref name="count"/> - 1.</summary>
    public void BeginChunk(long first, int count)
    {
        if (_classes.Length != count)
        {
            _classes = new long[count];
            _pairedClasses = new long[2 * count];
        }

        for (int i = 0; i < count; i++)
        {
            _classes[i] = conditioning.Classes.ClassOf(first + i, inner.Classes);
            _pairedClasses[i] = _classes[i];
            _pairedClasses[count + i] = inner.Classes;
        }
    }

    /// <summary>The class of each row of the current chunk.</summary>
    public ReadOnlySpan<long> ChunkClasses => _classes;

    public void Evaluate(double t, ReadOnlySpan<float> points, Span<float> velocity)
    {
        double w = conditioning.GuidanceAt(t);
        if (w == 1 || conditioning.Classes == ClassSelection.None)
        {
            inner.Evaluate(t, points, _classes, velocity);
            return;
        }

        int length = points.Length;
        if (_pairedPoints.Length != 2 * length)
        {
            _pairedPoints = new float[2 * length];
            _pairedVelocity = new float[2 * length];
        }

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

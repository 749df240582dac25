namespace FlowMatching.Runtime.Sampling;

/// <summary>
/// Samples <see cref="FirstIndex"/> .. <see cref="FirstIndex"/> + <see cref="Count"/> - 1, row-major with
/// <see cref="Dimension"/> numbers a row, in the data's units.
/// </summary>
public sealed record SampleChunk(long FirstIndex, int Count, int Dimension, float[] Points, int Evaluations)
{
    /// <summary>The class each sample was drawn for (class-conditional sampling); null otherwise.</summary>
    public long[]? Classes { get; init; }
}

/// <summary>Sees the points of one chunk after each integration step (and at t = 0 as step 0), in the model's units.</summary>
public delegate void PathObserver(long firstIndex, int step, double t, ReadOnlySpan<float> points);

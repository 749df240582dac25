namespace FlowMatching.Io;

/// <summary>Points of R^d stored row-major: point i is Values[i*d .. i*d+d).</summary>
public sealed record PointSet(float[] Values, int Dimension)
{
    public int Count => Dimension == 0 ? 0 : Values.Length / Dimension;

    public ReadOnlySpan<float> Point(int index) => Values.AsSpan(index * Dimension, Dimension);
}

namespace FlowMatching.Velocity;

/// <summary>A velocity field b_t(x) on R^d, evaluated for a batch of points at one time.</summary>
public interface IVelocityField
{
    int Dimension { get; }

    /// <summary>Writes b_t(x_i) for every point; <paramref name="points"/> and <paramref name="velocity"/> are row-major, d a row.</summary>
    void Evaluate(double t, ReadOnlySpan<float> points, Span<float> velocity);
}

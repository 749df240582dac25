using FlowMatching.Velocity;

namespace FlowMatching.Tests;

/// <summary>b_t(x) = c: the flow is x + c (t1 - t0).</summary>
public sealed class ConstantField(params float[] velocity) : IVelocityField
{
    public int Dimension => velocity.Length;

    public int Evaluations { get; private set; }

    public void Evaluate(double t, ReadOnlySpan<float> points, Span<float> output)
    {
        Evaluations++;
        for (int i = 0; i < points.Length; i++)
        {
            output[i] = velocity[i % velocity.Length];
        }
    }
}

/// <summary>b_t(x) = cos(t) x: the flow from t0 to t1 multiplies x by exp(sin(t1) - sin(t0)).</summary>
public sealed class OscillatingLinearField(int dimension) : IVelocityField
{
    public int Dimension => dimension;

    public static double Growth(double from, double to) => Math.Exp(Math.Sin(to) - Math.Sin(from));

    public void Evaluate(double t, ReadOnlySpan<float> points, Span<float> output)
    {
        for (int i = 0; i < points.Length; i++)
        {
            output[i] = (float)(Math.Cos(t) * points[i]);
        }
    }
}

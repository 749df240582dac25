namespace FlowMatching.Contract;

/// <summary>
/// The graph interfaces of exported models, every input and output named once: a velocity field b_t(x) as
/// v = f(x, t[, y]), and a sampler graph as x1 = f(z[, y]).
/// </summary>
public static class ModelSignature
{
    /// <summary>float [batch, d]: the points (or [batch, C, H, W]: the images).</summary>
    public const string PointsInput = "x";

    /// <summary>float [batch]: each point's time in [0, 1].</summary>
    public const string TimeInput = "t";

    /// <summary>int64 [batch]: each image's class (the null class for unconditional), for class-conditional image models.</summary>
    public const string ClassInput = "y";

    /// <summary>float [batch]: each row's step size h, for flow-map models (its output is the average velocity over [t, t + h]).</summary>
    public const string StepInput = "h";

    /// <summary>float [batch, d]: the velocity at each point.</summary>
    public const string VelocityOutput = "v";

    /// <summary>float [batch, ...]: a sampler graph's starting noise.</summary>
    public const string NoiseInput = "z";

    /// <summary>float [batch, ...]: a sampler graph's samples, in the data's units.</summary>
    public const string SampleOutput = "x1";

    /// <summary>The symbolic name of the batch dimension.</summary>
    public const string BatchDimension = "batch";
}

using FlowMatching.Contract;
using FlowMatching.Distributions;
using FlowMatching.Errors;
using FlowMatching.Randomness;
using FlowMatching.Runtime;
using FlowMatching.Runtime.Options;

namespace FlowMatching.Training;

/// <summary>
/// A coupling of noise and data for reflow (rectified flow): row i of <see cref="Data"/> is where the teacher's
/// ODE takes row i of <see cref="Noise"/>. Training on these pairs instead of independent draws straightens
/// the paths, so that a few Euler steps land where the teacher's many did. As a distribution it is the data.
/// </summary>
public sealed class CoupledPairs(string name, float[] noise, float[] data, int dimension) : IDistribution
{
    public string Name => name;

    public int Dimension => dimension;

    public int Count => noise.Length / dimension;

    public float[] Noise => noise;

    public float[] Data => data;

    public void Sample(RandomStream random, Span<float> destination) =>
        SamplePairs(random, new float[destination.Length], destination);

    /// <summary>Draws pairs with replacement: the same row of noise and data each time.</summary>
    public void SamplePairs(RandomStream random, Span<float> x0, Span<float> x1)
    {
        for (int row = 0; row < x0.Length / dimension; row++)
        {
            int i = random.NextInt(Count);
            noise.AsSpan(i * dimension, dimension).CopyTo(x0.Slice(row * dimension, dimension));
            data.AsSpan(i * dimension, dimension).CopyTo(x1.Slice(row * dimension, dimension));
        }
    }

    /// <summary>
    /// Draws the noise (keyed by the seed) and integrates the teacher on the CPU. Point models in their own units
    /// only: a teacher of standardised CSV data or of images is refused.
    /// </summary>
    public static CoupledPairs FromTeacher(ReflowTeacher teacher, long seed, CancellationToken cancellation = default)
    {
        using FlowModel loaded = FlowModel.Load(teacher.Path, new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu });
        if (loaded is not VelocityModel model || model.SampleShape.Count != 1 || model.Scaling is not null)
        {
            throw new ModelContractException(teacher.Path, "is not a plain point model in its data's units (image, standardised and sampler-graph teachers are not supported)");
        }

        var noise = new float[(long)teacher.Pairs * model.Dimension];
        new StandardNormal(model.Dimension).Sample(new RandomStream((ulong)seed, Streams.ReflowNoise), noise);
        var solver = new OdeSolverOptions { Method = OdeMethod.RungeKutta4, Steps = teacher.Steps };
        float[] data = model.Transport(noise, new OdeSamplingOptions { Solver = solver, UseRecommendation = false }, seed, cancellationToken: cancellation);
        return new CoupledPairs(model.Contract?.Target ?? "reflow", noise, data, model.Dimension);
    }
}

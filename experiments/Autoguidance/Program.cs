using System.Globalization;
using FlowMatching.Distributions;
using FlowMatching.Io;
using FlowMatching.Runtime;
using FlowMatching.Runtime.Integrators;
using FlowMatching.Runtime.Options;
using FlowMatching.Velocity;

// Unconditional (null-class) samples of an image model guided by a weaker model of the same data (autoguidance,
// Karras et al. 2024): v = v_weak + w (v_model - v_weak), Heun 20 steps, the runtime's base noise for seed 0, so
// w = 1 writes exactly what `runtime sample --class none --method heun --steps 20` writes.
if (args.Length != 5)
{
    Console.Error.WriteLine("usage: Autoguidance MODEL.onnx WEAK.onnx W N OUT.npy");
    return 2;
}

double weight = double.Parse(args[2], CultureInfo.InvariantCulture);
int count = int.Parse(args[3], CultureInfo.InvariantCulture);
using var model = FlowModel.Load(args[0], new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu });
using var weak = FlowModel.Load(args[1], new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu });
int dimension = model.Dimension;
var field = new AutoguidedField(model.Field, weak.Field, weight);
var solver = new FixedStepOdeSolver(new HeunStep(), 20);
var normal = new StandardNormal(dimension);
using var output = NpyFile.CreateFloat32(args[4], [count, .. model.SampleShape], overwrite: false);
const int Chunk = 100;
for (int first = 0; first < count; first += Chunk)
{
    int size = Math.Min(Chunk, count - first);
    var points = new float[size * dimension];
    for (int i = 0; i < size; i++)
    {
        normal.SampleIndexed(0, first + i, points.AsSpan(i * dimension, dimension));
    }

    solver.Solve(field, points, 0, 1);
    output.Write(points);
    Console.Error.WriteLine($"{first + size}/{count}");
}

output.Commit();
return 0;

internal sealed class AutoguidedField(IVelocityField model, IVelocityField weak, double weight) : IVelocityField
{
    private float[] _weak = [];

    public int Dimension => model.Dimension;

    public void Evaluate(double t, ReadOnlySpan<float> points, Span<float> velocity)
    {
        model.Evaluate(t, points, velocity);
        if (weight == 1)
        {
            return;
        }

        if (_weak.Length != velocity.Length)
        {
            _weak = new float[velocity.Length];
        }

        weak.Evaluate(t, points, _weak);
        for (int i = 0; i < velocity.Length; i++)
        {
            velocity[i] = (float)(_weak[i] + (weight * (velocity[i] - _weak[i])));
        }
    }
}

using FlowMatching.Io;
using FlowMatching.Runtime;
using FlowMatching.Runtime.Images;
using FlowMatching.Runtime.Options;
using FlowMatching.Runtime.Sampling;

// Two images of every class from the shipped Fashion-MNIST model at its recommended sampler, written as NumPy's
// .npy and as a PNG grid with a row per class.
string path = args.Length > 0 ? args[0] : Path.Combine("models", "fashion-mnist.onnx");
string output = args.Length > 1 ? args[1] : "fashion.npy";
using FlowModel model = FlowModel.Load(path);
var options = new OdeSamplingOptions { Conditioning = new Conditioning(ClassSelection.All) };
if (model.Contract?.Recommended is { } recommended)
{
    Console.WriteLine($"{path} recommends {recommended.Method} {recommended.Steps} steps, guidance {recommended.Guidance} at {recommended.Interval?.Describe() ?? "every t"}");
}

Console.WriteLine($"sampling with {string.Join(", ", model.Resolve(options).Adopted)} from the recommendation");

int count = 2 * model.Classes;
SampleChunk[] chunks = [.. model.SampleChunks(count, options, seed: 0)];
float[] images = [.. chunks.SelectMany(c => c.Points)];
long[] classes = [.. chunks.SelectMany(c => c.Classes!)];
NpyFile.Save(output, [count, .. model.SampleShape], images, overwrite: true);
IReadOnlyList<double> range = model.Contract!.ValueRange;
ImageGrid.Save(Path.ChangeExtension(output, ".png"), images, model.SampleShape, classes, (range[0], range[1]), overwrite: true, classNames: model.Contract.ClassNames);
Console.WriteLine($"wrote {count} images of {model.Contract.ClassNames.Count} classes to {output} and {Path.ChangeExtension(output, ".png")}");

using FlowMatching.Distributions;
using FlowMatching.Randomness;
using FlowMatching.Training.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace FlowMatching.Training;

/// <summary>
/// Fits the feature <see cref="Classifier"/> by cross-entropy with Adam on a labelled image set, batches drawn
/// with replacement from the seeded target stream, and measures its accuracy on a held-out set.
/// </summary>
public sealed class ClassifierTraining(ImageDataset train, int steps, int batch, double learningRate, long seed)
{
    public Classifier Train(Device device, Action<int, double>? onStep = null, CancellationToken cancel = default)
    {
        NativeHeap.KeepFreedMemory();
        random.manual_seed(seed);
        var network = new Classifier(train.Channels, train.Height, train.Width, train.ClassNames.Count);
        network.to(device);
        var optimizer = optim.Adam(network.parameters(), learningRate);
        var stream = new RandomStream((ulong)seed, Streams.TargetSamples);
        var images = new float[batch * train.Dimension];
        var labels = new long[batch];
        for (int step = 1; step <= steps; step++)
        {
            cancel.ThrowIfCancellationRequested();
            using DisposeScope scope = NewDisposeScope();
            train.Sample(stream, images, labels);
            optimizer.zero_grad();
            (Tensor logits, _) = network.forward(tensor(images, [batch, train.Channels, train.Height, train.Width], device: device));
            Tensor loss = nn.functional.cross_entropy(logits, tensor(labels, device: device));
            loss.backward();
            optimizer.step();
            onStep?.Invoke(step, loss.item<float>());
        }

        return network;
    }

    /// <summary>The share of <paramref name="test"/> the classifier labels correctly.</summary>
    public static double Accuracy(Classifier network, ImageDataset test, Device device)
    {
        using var noGrad = no_grad();
        network.eval();
        int correct = 0;
        const int chunk = 1000;
        for (int start = 0; start < test.Count; start += chunk)
        {
            using DisposeScope scope = NewDisposeScope();
            int n = Math.Min(chunk, test.Count - start);
            var images = new float[n * test.Dimension];
            for (int i = 0; i < n; i++)
            {
                test.Image(start + i).CopyTo(images.AsSpan(i * test.Dimension, test.Dimension));
            }

            long[] predicted = network.forward(tensor(images, [n, test.Channels, test.Height, test.Width], device: device)).Logits.argmax(1).cpu().data<long>().ToArray();
            correct += predicted.Where((p, i) => p == test.Labels![start + i]).Count();
        }

        return correct / (double)test.Count;
    }
}

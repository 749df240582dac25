using System.Diagnostics;
using FlowMatching.Distributions;
using FlowMatching.Interpolants;
using FlowMatching.Training;
using FlowMatching.Training.Network;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

// Usage: UNetTrainingProfile [STEPS] [BATCH] [glibc-heap]: the trainer's U-Net step (channels 32,64,64 on Fashion-MNIST, Adam,
// EMA 0.999, label dropout 0.2) timed phase by phase with a stopwatch (libtorch runs synchronously on the CPU), after
// 3 warm-up steps; then single layers of that network, forward and backward, at the shapes it uses. With glibc-heap,
// the C heap keeps glibc's defaults instead of the trainer's NativeHeap settings (the profile before that fix).
int steps = args.Length > 0 ? int.Parse(args[0]) : 20;
int batch = args.Length > 1 ? int.Parse(args[1]) : 128;
bool glibcHeap = args.Length > 2 && args[2] == "glibc-heap";
if (!glibcHeap)
{
    NativeHeap.KeepFreedMemory();
}

Console.WriteLine($"torch threads {get_num_threads()}, interop {get_num_interop_threads()}, batch {batch}, {steps} steps, {(glibcHeap ? "glibc's heap defaults" : "the trainer's heap settings")}");
var images = (ImageDataset)TrainingData.Load("fashion-mnist").Target;
random.manual_seed(0);
var network = new UNet(new UNetConfig([32, 64, 64], 1, 28, 28, 10));
var sampler = new InterpolantBatchSampler(new StandardNormal(images.Dimension), images, new LinearInterpolant(), 0, labelDropout: 0.2);
var ema = new ExponentialMovingAverage(network, 0.999, CPU);
Adam optimizer = optim.Adam(network.parameters(), 1e-3);
string[] phases = ["draw batch (C#)", "host to tensor", "forward", "loss", "backward", "optimizer", "EMA", "loss.item"];
var totals = new double[phases.Length];
var clock = new Stopwatch();
for (int step = -3; step < steps; step++)
{
    using DisposeScope scope = NewDisposeScope();
    var marks = new double[phases.Length];
    int phase = 0;
    void Mark() => marks[phase++] = clock.Elapsed.TotalMilliseconds;
    clock.Restart();
    InterpolantBatch b = sampler.Draw(batch);
    Mark();
    Tensor x = tensor(b.Points, [batch, b.Dimension]), t = tensor(b.Times, [batch]), y = tensor(b.Classes, [batch]), dx = tensor(b.PointVelocities, [batch, b.Dimension]);
    Mark();
    Tensor v = network.Velocity(x, t, y);
    Mark();
    Tensor loss = InterpolantLoss.Compute(v, dx);
    Mark();
    optimizer.zero_grad();
    loss.backward();
    Mark();
    optimizer.step();
    Mark();
    ema.Update(network);
    Mark();
    _ = loss.item<float>();
    Mark();
    if (step >= 0)
    {
        for (int i = 0; i < phases.Length; i++)
        {
            totals[i] += marks[i] - (i == 0 ? 0 : marks[i - 1]);
        }
    }
}

double whole = totals.Sum() / steps;
Console.WriteLine($"whole step {whole,8:F1} ms  ({1000 / whole:F2} steps/s)");
for (int i = 0; i < phases.Length; i++)
{
    Console.WriteLine($"  {phases[i],-18} {totals[i] / steps,8:F2} ms  {100 * totals[i] / totals.Sum(),5:F1}%");
}

Console.WriteLine("layers, forward + backward (ms):");
LayerTimer.Run(batch);

using FlowMatching.Contract;
using FlowMatching.Distributions;
using FlowMatching.Training;
using FlowMatching.Training.Network;
using static TorchSharp.torch;

namespace FlowMatching.Tests;

[TestClass]
public sealed class ShortcutObjectiveTests
{
    // u(x, t, h) = W [x, t, h] + b: a one-layer map whose two half steps are worked out by hand below.
    private static readonly float[,] W = { { 0.5f, -1f, 2f, 3f }, { 0.25f, 1.5f, -1f, 4f } };
    private static readonly float[] B = [0.1f, -0.2f];

    private static double[] U(double[] x, double t, double h) =>
        [.. Enumerable.Range(0, 2).Select(o => W[o, 0] * x[0] + W[o, 1] * x[1] + W[o, 2] * t + W[o, 3] * h + B[o])];

    [TestMethod]
    [DataRow(0.5, 0.25)]
    [DataRow(0.25, 0.0)] // the finest step (1/4 here): its halves are velocity steps
    public void TheShortcutTargetIsTheMeanOfTwoHalfSteps(double s, double t)
    {
        using var network = new Mlp(2, [], Activation.Relu, TimeEmbedding.None, takesStep: true);
        using (no_grad())
        {
            network.Layers[0].weight!.copy_(tensor(W.Cast<float>().ToArray(), [2, 4]));
            network.Layers[0].bias!.copy_(tensor(B, [2]));
        }

        var objective = new ShortcutObjective(new FlowMapTraining { FinestSteps = 4 }, null, seed: 0);
        double[] x = [0.3, -0.7];
        double inner = s <= 0.25 ? 0 : s / 2;
        double[] first = U(x, t, inner);
        double[] moved = [x[0] + s / 2 * first[0], x[1] + s / 2 * first[1]];
        double[] second = U(moved, t + s / 2, inner);
        double[] expected = [(first[0] + second[0]) / 2, (first[1] + second[1]) / 2];

        float[] actual = objective.ShortcutTarget(network, tensor(x.Select(v => (float)v).ToArray(), [1, 2]), tensor(new[] { (float)t }), zeros(1, ScalarType.Int64), tensor(new[] { (float)s })).data<float>().ToArray();
        for (int i = 0; i < 2; i++)
        {
            Assert.AreEqual(expected[i], actual[i], 1e-5, $"coordinate {i}");
        }
    }

    [TestMethod]
    public void AnInterruptedFlowMapRunResumesToTheSameBytes()
    {
        var options = new TrainingOptions
        {
            Steps = 40,
            Batch = 64,
            Hidden = [16, 16],
            Seed = 4,
            EmaDecay = 0.9,
            TimeEmbedding = TimeEmbedding.Fourier(2),
            ValidationBatch = 0,
            Objective = TrainingObjective.Shortcut,
            FlowMap = new FlowMapTraining { Share = 0.5, FinestSteps = 8 },
        };
        IDistribution target = TargetCatalog.Parse(options.Target);
        using var files = new TestFiles();
        using var uninterrupted = (Mlp)new Trainer(options, target).Train(CPU);

        using var interrupt = new CancellationTokenSource();
        var policy = new CheckpointPolicy(files["run.ckpt"]);
        Assert.ThrowsExactly<TrainingInterruptedException>(() => new Trainer(options, target).Train(CPU, policy, step =>
        {
            if (step.Step == 17)
            {
                interrupt.Cancel();
            }
        }, interrupt.Token));
        using var resumed = (Mlp)new Trainer(options, target).Train(CPU, policy with { Resume = ResumePoint.Read(files["run.ckpt"]) });

        Assert.IsTrue(uninterrupted.TakesStep);
        float[][] a = [.. uninterrupted.ToWeights().Layers.Select(l => l.Weight.Concat(l.Bias).ToArray())];
        float[][] b = [.. resumed.ToWeights().Layers.Select(l => l.Weight.Concat(l.Bias).ToArray())];
        for (int layer = 0; layer < a.Length; layer++)
        {
            CollectionAssert.AreEqual(a[layer], b[layer], $"layer {layer}");
        }

        // The shortcut draws are part of the state: a run with another share ends elsewhere.
        using var other = (Mlp)new Trainer(options with { FlowMap = options.FlowMap with { Share = 0.25 } }, target).Train(CPU);
        CollectionAssert.AreNotEqual(a[0], other.ToWeights().Layers[0].Weight.Concat(other.ToWeights().Layers[0].Bias).ToArray());
    }
}

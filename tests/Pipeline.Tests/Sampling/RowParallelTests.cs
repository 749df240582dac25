using FlowMatching.Contract;
using FlowMatching.Runtime;
using FlowMatching.Runtime.Options;

namespace FlowMatching.Tests;

/// <summary>A velocity model split over threads, a block of rows each, must give the single thread's bytes.</summary>
[TestClass]
public sealed class RowParallelTests
{
    private static float[] Sample(string model, int threads, int n, SamplingOptions options)
    {
        using FlowModel loaded = FlowModel.Load(model, new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu, Threads = threads });
        return loaded.Sample(n, options, seed: 5);
    }

    [TestMethod]
    [DataRow("gmm8.onnx", "ode")]
    [DataRow("gmm8-int8.onnx", "ode")]
    [DataRow("gmm8.onnx", "sde")]
    public void ThreadsSplitRowsWithoutChangingABit(string file, string sampler)
    {
        string model = RepositoryFiles.Path("models", file);
        SamplingOptions options = sampler == "ode"
            ? new OdeSamplingOptions { Solver = new OdeSolverOptions { Method = OdeMethod.Heun, Steps = 10 }, Chunk = 101 }
            : new SdeSamplingOptions { Steps = 10, Chunk = 101 };
        float[] single = Sample(model, 1, 250, options);
        // 250 rows in chunks of 101 and 48 give blocks of unequal sizes on 2, 3 and 7 threads.
        foreach (int threads in new[] { 2, 3, 7 })
        {
            CollectionAssert.AreEqual(single, Sample(model, threads, 250, options), $"{threads} threads");
        }

        // Fewer rows than threads: some sessions sit idle.
        CollectionAssert.AreEqual(Sample(model, 1, 2, options), Sample(model, 3, 2, options));
    }

    [TestMethod]
    public void GuidedImageSamplesAreTheSameOnEveryThreadCount()
    {
        string model = RepositoryFiles.Path("models", "fashion-mnist.onnx");
        var options = new OdeSamplingOptions
        {
            Solver = new OdeSolverOptions { Method = OdeMethod.Euler, Steps = 2 },
            Conditioning = new Conditioning(ClassSelection.All, 1.75),
            Chunk = 5,
        };
        float[] single = Sample(model, 1, 7, options);
        CollectionAssert.AreEqual(single, Sample(model, 3, 7, options));
        Assert.IsTrue(single.All(float.IsFinite));
    }

    [TestMethod]
    public void CancellingStopsEveryBlockAndTheModelSamplesAgain()
    {
        string path = RepositoryFiles.Path("models", "gmm8.onnx");
        var few = new OdeSamplingOptions { Solver = new OdeSolverOptions { Steps = 4 } };
        float[] expected = Sample(path, 1, 10, few);
        using FlowModel model = FlowModel.Load(path, new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu, Threads = 2 });
        var endless = new OdeSamplingOptions { Solver = new OdeSolverOptions { Steps = 100000 }, Chunk = 20000 };

        // Aborts at different moments: in the first block's evaluation, in the second's, between evaluations. The
        // next run must neither fail nor take any block's rows from a worker still finishing the aborted run.
        for (int delay = 5; delay <= 185; delay += 20)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(delay));
            Assert.ThrowsExactly<OperationCanceledException>(() => model.Sample(20000, endless, cancellationToken: cancel.Token));
            CollectionAssert.AreEqual(expected, model.Sample(10, few, seed: 5), $"after an abort at {delay} ms");
        }
    }
}

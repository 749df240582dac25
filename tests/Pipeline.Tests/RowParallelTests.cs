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
        using FlowModel model = FlowModel.Load(RepositoryFiles.Path("models", "gmm8.onnx"), new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu, Threads = 2 });
        var options = new OdeSamplingOptions { Solver = new OdeSolverOptions { Steps = 100000 }, Chunk = 20000 };
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        Assert.ThrowsExactly<OperationCanceledException>(() => model.Sample(20000, options, cancellationToken: cancel.Token));
        // An abort that arrived between evaluations must not fail the next run.
        var few = new OdeSamplingOptions { Solver = new OdeSolverOptions { Steps = 4 } };
        CollectionAssert.AreEqual(Sample(RepositoryFiles.Path("models", "gmm8.onnx"), 1, 10, few), model.Sample(10, few, seed: 5));
    }
}

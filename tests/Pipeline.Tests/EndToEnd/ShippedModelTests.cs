using FlowMatching.Contract;
using FlowMatching.Distributions;
using FlowMatching.Interpolants;
using FlowMatching.Io;
using FlowMatching.Metrics;
using FlowMatching.Randomness;
using FlowMatching.Runtime;
using FlowMatching.Runtime.Models;
using FlowMatching.Runtime.Options;
using FlowMatching.Velocity;

namespace FlowMatching.Tests;

/// <summary>The trained models in models/: they load, carry the contract, and sample well (figures in models/README.md).</summary>
[TestClass]
public sealed class ShippedModelTests
{
    private static readonly RecommendedSampling RecommendedImageSampler = new(OdeMethod.Heun, 20, 1.75, new GuidanceInterval(0.25, 0.8))
    {
        Autoguidance = new RecommendedAutoguidance("fashion-mnist-weak.onnx", 1.1),
    };

    [TestMethod]
    [DataRow("gmm8", "512,512,512", "silu", "fourier:8", 0.99)]
    [DataRow("checkerboard", "512,512,512,512", "relu", "none", 0.99)]
    public void ShippedModelCarriesTheContractOfItsDocumentedCommand(string target, string hidden, string activation, string timeEmbedding, double ema)
    {
        using VelocityModel model = VelocityModel.Load(RepositoryFiles.Path("models", $"{target}.onnx"), new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu });
        ModelContract contract = model.Contract!;
        Assert.AreEqual(target, contract.Target);
        Assert.AreEqual(InterpolantKind.Linear, contract.Interpolant);
        Assert.AreEqual(2, contract.Dimension);
        Assert.AreEqual(5000, contract.Steps);
        Assert.AreEqual(2500, contract.Batch);
        Assert.AreEqual(hidden, string.Join(',', contract.Hidden));
        Assert.AreEqual(activation, contract.Activation);
        Assert.AreEqual(timeEmbedding, contract.TimeEmbedding.ToString());
        Assert.AreEqual(ema, contract.EmaDecay);
        Assert.IsTrue(contract.FinalLoss < (target == "gmm8" ? -8 : -2), $"final loss {contract.FinalLoss}");
    }

    [TestMethod]
    [DataRow("gmm8", "512,512,512")]
    [DataRow("checkerboard", "512,512,512,512")]
    public void InfoPrintsTheSignatureAndContractOfAShippedModel(string target, string hidden)
    {
        var (code, output, error) = CommandLine.RuntimeWithOutput("info", "--model", RepositoryFiles.Path("models", $"{target}.onnx"));
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "inputs: x [N, 2] (points), t [N] (times); output: v [N, 2]");
        StringAssert.Contains(output, $"flowmatching.target = {target}\n");
        StringAssert.Contains(output, $"flowmatching.network.hidden = {hidden}\n");
        StringAssert.Contains(output, "flowmatching.training.steps = 5000\n");

        using var files = new TestFiles();
        (code, output, error) = CommandLine.RuntimeWithOutput("info", "--model", files.Write("broken.onnx", "not a model"));
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "broken.onnx: not a loadable ONNX model");
        Assert.AreEqual("", output);
    }

    [TestMethod]
    public void SampleWithoutAModelUsesTheShippedRingAndCoversEveryMode()
    {
        using var files = new TestFiles();
        var (code, error) = CommandLine.Runtime("sample", "--n", "4000", "--provider", "cpu", "--out", files["s.csv"]);
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(error, "gmm8.onnx");
        // Measured 0.58x the floor at 4000 points (mean over 8 target sets); the 20000-point figures are in models/README.md.
        AssertCoversTheRing(files["s.csv"]);
    }

    private static void AssertCoversTheRing(string samples)
    {
        SampleEvaluation evaluation = SampleEvaluation.Measure(GaussianMixture.Ring8(), PointCsv.Read(samples, 2), seed: 1, maxPoints: 4000);
        ModeCoverage modes = evaluation.Modes!;
        Assert.IsTrue(modes.Smallest >= 0.10 && modes.Largest <= 0.15, string.Join(", ", modes.Fractions));
        Assert.IsTrue(modes.OffMode < 0.02, $"off-mode {modes.OffMode}");
        Assert.IsTrue(evaluation.EnergyRatio < 2, $"energy {evaluation.EnergyRatio:F2}x the floor");
    }

    [TestMethod]
    public void ShippedReflowModelSamplesTheRingInItsRecommendedFourEulerSteps()
    {
        string path = RepositoryFiles.Path("models", "gmm8-reflow.onnx");
        using (VelocityModel model = VelocityModel.Load(path, new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu }))
        {
            Assert.AreEqual("gmm8.onnx rk4:100 pairs:50000", model.Contract!.Teacher);
            RecommendedSampling recommended = model.Contract.Recommended!;
            Assert.AreEqual((OdeMethod.Euler, 4, 5), (recommended.Method, recommended.Steps, recommended.Grid?.Count));
            CollectionAssert.AreEqual(model.AdaptedTimeGrid(4), recommended.Grid!.ToArray(), "models/README.md's recommend --time-grid adapted");
            Assert.AreEqual((5000, 2500, 0.99, "fourier:8"), (model.Contract.Steps, model.Contract.Batch, model.Contract.EmaDecay, model.Contract.TimeEmbedding.ToString()));
        }

        using var files = new TestFiles();
        var (code, error) = CommandLine.Runtime("sample", "--model", path, "--n", "4000", "--provider", "cpu", "--out", files["s.csv"]);
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(error, "NFE 4 per point");
        AssertCoversTheRing(files["s.csv"]);
    }

    [TestMethod]
    public void ShippedInt8ModelIsItsCommandsOutputAndSamplesTheRing()
    {
        using var files = new TestFiles();
        var (code, error) = CommandLine.Trainer("quantize", "--model", RepositoryFiles.Path("models", "gmm8.onnx"), "--activations", "calibrated", "--out", files["q.onnx"]);
        Assert.AreEqual(0, code, error);
        string shipped = RepositoryFiles.Path("models", "gmm8-int8.onnx");
        CollectionAssert.AreEqual(File.ReadAllBytes(shipped), File.ReadAllBytes(files["q.onnx"]), "models/README.md's command must reproduce the file");
        (code, error) = CommandLine.Runtime("sample", "--model", shipped, "--n", "4000", "--provider", "cpu", "--out", files["s.csv"]);
        Assert.AreEqual(0, code, error);
        AssertCoversTheRing(files["s.csv"]);
    }

    [TestMethod]
    public void ShippedImageModelDrawsTheAskedClassesWithItsRecommendedSampler()
    {
        string path = RepositoryFiles.Path("models", "fashion-mnist.onnx");
        using (VelocityModel model = VelocityModel.Load(path, new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu }))
        {
            ModelContract contract = model.Contract!;
            Assert.AreEqual((13000, 128, 0.999, "32,64,64"), (contract.Steps, contract.Batch, contract.EmaDecay, string.Join(",", contract.Hidden)));
            Assert.AreEqual(RecommendedImageSampler, contract.Recommended);
        }

        using var files = new TestFiles();
        var (code, error) = CommandLine.Runtime("sample", "--model", path, "--class", "all", "--n", "20", "--provider", "cpu", "--out", files["x.npy"]);
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(error, "recommends guidance");
        using var classifier = new FeatureClassifier(RepositoryFiles.Path("models", "fashion-mnist-classifier.onnx"));
        long[] seen = classifier.Classify(NpyFile.ReadFloat32(files["x.npy"]).Values).Classes;
        // 92% at 1000 samples (models/README.md); 20 samples leave room for a few misses.
        Assert.IsTrue(seen.Where((c, i) => c == i % 10).Count() >= 16, $"classes seen: {string.Join(" ", seen)}");
    }

    [TestMethod]
    public void ShippedImageModelSamplesUnconditionallyWithItsWeakModel()
    {
        string path = RepositoryFiles.Path("models", "fashion-mnist.onnx");
        using (VelocityModel weak = VelocityModel.Load(RepositoryFiles.Path("models", "fashion-mnist-weak.onnx"), new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu }))
        {
            ModelContract contract = weak.Contract!;
            Assert.AreEqual((500, 128, "48,96,96", "fashion-mnist"), (contract.Steps, contract.Batch, string.Join(",", contract.Hidden), contract.Target));
        }

        using var files = new TestFiles();
        string[] sample = ["sample", "--model", path, "--class", "none", "--n", "4", "--provider", "cpu"];
        var (code, error) = CommandLine.Runtime([.. sample, "--out", files["a.npy"]]);
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(error, "recommends autoguidance 1.1");
        (code, error) = CommandLine.Runtime([.. sample, "--weak-model", RepositoryFiles.Path("models", "fashion-mnist-weak.onnx"), "--autoguidance", "1.1", "--out", files["b.npy"]]);
        Assert.AreEqual(0, code, error);
        (code, error) = CommandLine.Runtime([.. sample, "--autoguidance", "1", "--out", files["c.npy"]]);
        Assert.AreEqual(0, code, error);
        float[] recommended = NpyFile.ReadFloat32(files["a.npy"]).Values;
        CollectionAssert.AreEqual(NpyFile.ReadFloat32(files["b.npy"]).Values, recommended);
        CollectionAssert.AreNotEqual(NpyFile.ReadFloat32(files["c.npy"]).Values, recommended);
    }

    [TestMethod]
    public void ShippedCheckerboardPutsItsSamplesOnTheSquares()
    {
        using var files = new TestFiles();
        var (code, error) = CommandLine.Runtime("sample", "--model", RepositoryFiles.Path("models", "checkerboard.onnx"), "--n", "4000", "--provider", "cpu", "--out", files["s.csv"]);
        Assert.AreEqual(0, code, error);
        double inside = CheckerboardCoverage.InsideFraction(PointCsv.Read(files["s.csv"], 2));
        // Measured 95.5% at 20000 points (the issue's goal: 95%); the tutorial's three-layer network reached 93.3%.
        Assert.IsTrue(inside >= 0.945, $"{inside:P2} inside the squares");
    }

    [TestMethod]
    public void TrainedFieldIsCloseToTheExactOneAwayFromTheEnd()
    {
        using VelocityModel model = VelocityModel.Load(RepositoryFiles.Path("models", "gmm8.onnx"), new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu });
        var exact = new GaussianMixtureVelocityField(GaussianMixture.Ring8(), new LinearInterpolant());
        double[] times = [0.0, 0.2, 0.4, 0.6, 0.8, 0.9, 0.99];
        double[] errors = times.Select(t => RelativeError(model.Field, exact, t)).ToArray();
        string report = string.Join("; ", times.Zip(errors, (t, e) => $"t={t}: {e:P1}"));
        // Measured: 11.5% at t = 0 (where |b| = |x| is small), 2.8% at t = 0.2, 0.7 to 1.5% from t = 0.4 to 0.99.
        Assert.IsTrue(errors[0] < 0.15, report);
        Assert.IsTrue(errors[1..].All(e => e < 0.04), report);
    }

    [TestMethod]
    public void NegativeLogLikelihoodOfTargetSamplesIsNearTheMixtureEntropy()
    {
        using var files = new TestFiles();
        Assert.AreEqual(0, CommandLine.Runtime("draw", "--target", "gmm8", "--n", "1000", "--seed", "4", "--out", files["x.csv"]).ExitCode);
        var (code, error) = CommandLine.Runtime("logprob", "--in", files["x.csv"], "--out", files["lp.csv"], "--steps", "20", "--provider", "cpu");
        Assert.AreEqual(0, code, error);
        double nll = -LogLikelihoodTests.LogP(files["lp.csv"]).Average();
        Assert.AreEqual(4.186, nll, 0.1, "mean NLL against the entropy of the ring");
    }

    // Mean |b_model - b_exact| / mean |b_exact| over points drawn from rho_t.
    private static double RelativeError(IVelocityField model, IVelocityField exact, double t)
    {
        const int n = 4000;
        var x0 = new float[2 * n];
        var x1 = new float[2 * n];
        new StandardNormal(2).Sample(new RandomStream(2, 1), x0);
        GaussianMixture.Ring8().Sample(new RandomStream(2, 2), x1);
        IInterpolant interpolant = new LinearInterpolant();
        float[] xt = x0.Select((v, i) => (float)interpolant.Value(t, v, x1[i])).ToArray();
        var a = new float[2 * n];
        var b = new float[2 * n];
        model.Evaluate(t, xt, a);
        exact.Evaluate(t, xt, b);
        double difference = 0, size = 0;
        for (int i = 0; i < n; i++)
        {
            difference += Math.Sqrt(Math.Pow(a[2 * i] - b[2 * i], 2) + Math.Pow(a[2 * i + 1] - b[2 * i + 1], 2));
            size += Math.Sqrt(b[2 * i] * b[2 * i] + b[2 * i + 1] * b[2 * i + 1]);
        }

        return difference / size;
    }
}

using FlowMatching.Contract;
using FlowMatching.Errors;
using FlowMatching.Randomness;
using FlowMatching.Runtime;
using FlowMatching.Runtime.Integrators;
using FlowMatching.Runtime.Options;
using FlowMatching.Runtime.Sampling;

namespace FlowMatching.Tests;

/// <summary>Fixed-step methods on a given time grid, and the grid adapted to where a model's own dopri5 pilot stepped.</summary>
[TestClass]
public sealed class TimeGridTests
{
    private static readonly ModelLoadOptions Cpu = new() { Provider = ExecutionProviderKind.Cpu };

    [TestMethod]
    public void EulerOnAGridTakesTheGridsStepsAsFractionsOfTheInterval()
    {
        // b = cos(t) x on [0.5, 1.5]: Euler multiplies x by 1 + cos(t_k) h_k at t_k = 0.5 + g_k.
        double[] grid = [0, 0.1, 0.5, 1];
        float[] x = [2f];
        int evaluations = new FixedStepOdeSolver(new EulerStep(), grid).Solve(new OscillatingLinearField(1), x, 0.5, 1.5);
        double expected = 2;
        for (int k = 0; k < 3; k++)
        {
            expected *= 1 + Math.Cos(0.5 + grid[k]) * (grid[k + 1] - grid[k]);
        }

        Assert.AreEqual(3, evaluations);
        Assert.AreEqual(expected, x[0], 1e-5);
    }

    [TestMethod]
    public void AUniformGridGivesTheStepsSamplesByteForByte()
    {
        using VelocityModel model = VelocityModel.Load(RepositoryFiles.Path("models", "gmm8.onnx"), Cpu);
        float[] bySteps = model.Sample(300, new OdeSamplingOptions { Solver = new() { Method = OdeMethod.Heun, Steps = 5 } }, seed: 2);
        float[] byGrid = model.Sample(300, new OdeSamplingOptions { Solver = new() { Method = OdeMethod.Heun, Grid = [0, 0.2, 0.4, 0.6, 0.8, 1] } }, seed: 2);
        Assert.AreEqual(bySteps.Length, byGrid.Length);
        // 0.2 k and k / 5 differ in the last bit for some k; the samples agree to float precision.
        Assert.IsTrue(bySteps.Zip(byGrid).All(p => Math.Abs(p.First - p.Second) <= 1e-5f * Math.Max(1, Math.Abs(p.First))));
        Assert.ThrowsExactly<InvalidSettingException>(() => model.Sample(5, new OdeSamplingOptions { Solver = new() { Grid = [0, 0.7, 0.6, 1] } }));
        Assert.ThrowsExactly<InvalidSettingException>(() => model.Sample(5, new OdeSamplingOptions { Solver = new() { Grid = [0, 0.5, 1], Steps = 2 } }));
        Assert.ThrowsExactly<InvalidSettingException>(() => model.Sample(5, new OdeSamplingOptions { Solver = new() { Method = OdeMethod.DormandPrince5, Grid = [0, 1] } }));
    }

    [TestMethod]
    public void TheGridSplitsThePilotsStepsIntoEqualShares()
    {
        double[] pilot = [0, 0.5, 0.75, 1];
        CollectionAssert.AreEqual(pilot, AdaptedTimeGrid.FromPilot(pilot, 3));
        CollectionAssert.AreEqual(new[] { 0, 0.25, 0.5, 0.625, 0.75, 0.875, 1 }, AdaptedTimeGrid.FromPilot(pilot, 6));
        CollectionAssert.AreEqual(new[] { 0, 0.625, 1 }, AdaptedTimeGrid.FromPilot(pilot, 2));
    }

    [TestMethod]
    public void FourAdaptedEulerStepsLandCloserToTheFlowThanFourUniformOnes()
    {
        using VelocityModel model = VelocityModel.Load(RepositoryFiles.Path("models", "gmm8.onnx"), Cpu);
        double[] grid = model.AdaptedTimeGrid(4);
        CollectionAssert.AreEqual(grid, model.AdaptedTimeGrid(4), "the same model gives the same grid");
        Assert.AreEqual(5, grid.Length);
        float[] reference = model.Sample(500, new OdeSamplingOptions { Solver = new() { Method = OdeMethod.RungeKutta4, Steps = 40 } }, seed: 5);
        double Error(OdeSolverOptions solver)
        {
            float[] x = model.Sample(500, new OdeSamplingOptions { Solver = solver }, seed: 5);
            return Enumerable.Range(0, 500).Average(i => Math.Sqrt(Math.Pow(x[2 * i] - reference[2 * i], 2) + Math.Pow(x[2 * i + 1] - reference[2 * i + 1], 2)));
        }

        double uniform = Error(new() { Steps = 4 }), adapted = Error(new() { Grid = grid });
        Assert.IsTrue(adapted < 0.95 * uniform, $"mean distance to the RK4 flow: adapted grid {adapted:F3} ({string.Join(", ", grid.Select(t => t.ToString("F3")))}), uniform {uniform:F3}");
    }

    [TestMethod]
    public void TheCliRefusesAnAdaptedGridForDopri5AndTheSde()
    {
        using var files = new TestFiles();
        foreach (string[] args in new[] { new[] { "--method", "dopri5" }, ["--sampler", "sde"] })
        {
            var (code, error) = CommandLine.Runtime(["sample", "--model", RepositoryFiles.Path("models", "gmm8.onnx"), "--time-grid", "adapted", "--n", "5", "--out", files["x.csv"], .. args]);
            Assert.AreEqual(1, code, error);
            StringAssert.Contains(error, "--time-grid adapted");
            Assert.IsFalse(File.Exists(files["x.csv"]));
        }
    }
}

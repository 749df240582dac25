using FlowMatching.Runtime.Integrators;

namespace FlowMatching.Tests;

[TestClass]
public sealed class OdeSolverTests
{
    [TestMethod]
    public void EulerOnAConstantFieldLandsAtStartPlusVelocity()
    {
        var field = new ConstantField(1.5f, -2f);
        float[] x = [0.25f, 3f, -1f, 0f];
        int evaluations = new FixedStepOdeSolver(new EulerStep(), 80).Solve(field, x, 0, 1);
        CollectionAssert.AreEqual(new[] { 1.75f, 1f, 0.5f, -2f }, x, new Tolerance(1e-5f));
        Assert.AreEqual(80, evaluations);
        Assert.AreEqual(80, field.Evaluations);
    }

    [TestMethod]
    public void EulerOnALinearFieldMatchesTheDiscreteClosedForm()
    {
        // b = cos(t) x: Euler multiplies by prod_k (1 + h cos(t_k)), t_k = k / n.
        const int n = 80;
        float[] x = [1f, -2f];
        new FixedStepOdeSolver(new EulerStep(), n).Solve(new OscillatingLinearField(2), x, 0, 1);
        double factor = Enumerable.Range(0, n).Aggregate(1.0, (p, k) => p * (1 + Math.Cos((double)k / n) / n));
        Assert.AreEqual(factor, x[0], 1e-5);
        Assert.AreEqual(-2 * factor, x[1], 1e-5);
        Assert.AreEqual(OscillatingLinearField.Growth(0, 1), x[0], 0.02, "80 Euler steps are close to the exact flow");
    }

    [TestMethod]
    [DataRow("euler", 20)]
    [DataRow("midpoint", 20)]
    [DataRow("heun", 10)]
    [DataRow("rk4", 4)]
    public void ErrorFallsLikeStepToTheMethodsOrder(string method, int coarse)
    {
        IStepRule rule = Rules.Ode(method);
        double Error(int steps)
        {
            float[] x = [1f];
            new FixedStepOdeSolver(rule, steps).Solve(new OscillatingLinearField(1), x, 0, 1);
            return Math.Abs(x[0] - OscillatingLinearField.Growth(0, 1));
        }

        double observedOrder = Math.Log2(Error(coarse) / Error(2 * coarse));
        Assert.AreEqual(rule.Order, observedOrder, 0.35, $"{method}: errors {Error(coarse)} and {Error(2 * coarse)}");
    }

    [TestMethod]
    [DataRow(1e-4)]
    [DataRow(1e-6)]
    public void Dopri5MeetsItsTolerance(double tolerance)
    {
        float[] x = [1f, -0.5f];
        var solver = new DormandPrince5Solver(new Tolerances(tolerance, tolerance, 10000));
        int evaluations = solver.Solve(new OscillatingLinearField(2), x, 0, 1);
        double exact = OscillatingLinearField.Growth(0, 1);
        double error = Math.Max(Math.Abs(x[0] - exact), Math.Abs(x[1] + 0.5 * exact));
        // The global error of a local-error controlled solver is a small multiple of the tolerance
        // (and never below float32 rounding of the state).
        Assert.IsTrue(error <= 10 * tolerance * exact + 1e-6, $"error {error} at tolerance {tolerance}");
        // First same as last: one evaluation to start, then six per attempted step (seven would mean the last
        // stage is no longer reused as the next step's first).
        Assert.AreEqual(1 + 6 * (solver.AcceptedSteps + solver.RejectedSteps), evaluations);
        Assert.IsTrue(solver.AcceptedSteps >= 3, $"{solver.AcceptedSteps} steps");
    }

    [TestMethod]
    public void Dopri5TakesFewerStepsAtLooserTolerance()
    {
        var loose = new DormandPrince5Solver(new Tolerances(1e-3, 1e-3, 10000));
        var tight = new DormandPrince5Solver(new Tolerances(1e-7, 1e-7, 10000));
        loose.Solve(new OscillatingLinearField(1), new float[] { 1f }, 0, 1);
        tight.Solve(new OscillatingLinearField(1), new float[] { 1f }, 0, 1);
        Assert.IsTrue(loose.AcceptedSteps < tight.AcceptedSteps, $"{loose.AcceptedSteps} vs {tight.AcceptedSteps}");
    }

    [TestMethod]
    public void IntegratingBackwardsUndoesTheFlow()
    {
        float[] x = [0.8f, -1.1f];
        var solver = new FixedStepOdeSolver(new RungeKutta4Step(), 40);
        solver.Solve(new OscillatingLinearField(2), x, 0, 1);
        solver.Solve(new OscillatingLinearField(2), x, 1, 0);
        CollectionAssert.AreEqual(new[] { 0.8f, -1.1f }, x, new Tolerance(1e-5f));
    }
}

/// <summary>Compares floats within an absolute tolerance.</summary>
public sealed class Tolerance(float tolerance) : System.Collections.IComparer
{
    public int Compare(object? x, object? y) => Math.Abs((float)x! - (float)y!) <= tolerance ? 0 : 1;
}

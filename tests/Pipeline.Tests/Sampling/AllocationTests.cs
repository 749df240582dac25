using FlowMatching.Runtime;
using FlowMatching.Runtime.Integrators;
using FlowMatching.Runtime.Models;
using FlowMatching.Runtime.Options;
using FlowMatching.Training;
using FlowMatching.Training.Network;

namespace FlowMatching.Tests;

[TestClass]
public sealed class AllocationTests
{
    [TestMethod]
    [DataRow("euler")]
    [DataRow("rk4")]
    public void OdeStepsOnAnOnnxModelAllocateNothing(string method)
    {
        var options = new TrainingOptions { Steps = 1, Batch = 16, Hidden = [32], ValidationBatch = 0 };
        using var files = new TestFiles();
        using (Mlp network = Models.Train(options))
        {
            Models.Export(network, options, files["m.onnx"]);
        }

        using VelocityModel model = VelocityModel.Load(files["m.onnx"], new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu, Threads = 1 });
        var points = new float[2 * 500];
        long Allocated(int steps)
        {
            var solver = new FixedStepOdeSolver(Rules.Ode(method), steps);
            solver.Solve(model.Field, points, 0, 1);
            long before = GC.GetAllocatedBytesForCurrentThread();
            solver.Solve(model.Field, points, 0, 1);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        long few = Allocated(5);
        long many = Allocated(105);
        // Per solve the workspace is allocated once; 100 more steps must not add to it.
        Assert.IsTrue(many - few < 1024, $"{few} bytes for 5 steps, {many} for 105: {(many - few) / 100.0:F1} bytes a step");
    }
}

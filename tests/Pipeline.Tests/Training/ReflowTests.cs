using FlowMatching.Contract;
using FlowMatching.Distributions;
using FlowMatching.Interpolants;
using FlowMatching.Randomness;
using FlowMatching.Runtime;
using FlowMatching.Runtime.Options;
using FlowMatching.Training;

namespace FlowMatching.Tests;

/// <summary>Reflow: training on a teacher's ODE couplings straightens the paths.</summary>
[TestClass]
public sealed class ReflowTests
{
    private static readonly ModelLoadOptions Cpu = new() { Provider = ExecutionProviderKind.Cpu };

    [TestMethod]
    public void CoupledBatchesKeepEachNoisePointWithItsOwnData()
    {
        // Pair i is (i, 0) -> (i, 10): every interpolant point must be (i, 10 t) for one i, with velocity (0, 10).
        float[] noise = [.. Enumerable.Range(0, 50).SelectMany(i => new float[] { i, 0 })];
        float[] data = [.. Enumerable.Range(0, 50).SelectMany(i => new float[] { i, 10 })];
        var pairs = new CoupledPairs("pairs", noise, data, 2);
        InterpolantBatch batch = new InterpolantBatchSampler(new StandardNormal(2), pairs, new LinearInterpolant(), seed: 4).Draw(200);
        for (int row = 0; row < 200; row++)
        {
            Assert.AreEqual(Math.Round(batch.Points[2 * row]), batch.Points[2 * row], 1e-6);
            Assert.AreEqual(10 * batch.Times[row], batch.Points[2 * row + 1], 1e-5);
            Assert.AreEqual(0, batch.PointVelocities[2 * row], 1e-6);
            Assert.AreEqual(10, batch.PointVelocities[2 * row + 1], 1e-5);
        }

        Assert.IsTrue(Enumerable.Range(0, 200).Select(r => batch.Points[2 * r]).Distinct().Count() > 30, "pairs are drawn across the set");
    }

    [TestMethod]
    public void OneEulerStepOfTheReflowedFieldLandsNearTheTeachersEndPoint()
    {
        using var files = new TestFiles();
        string teacher = RepositoryFiles.Path("models", "gmm8.onnx");
        var (code, error) = CommandLine.Trainer("reflow", "--teacher", teacher, "--pairs", "2000", "--teacher-steps", "20", "--steps", "300", "--batch", "256",
            "--hidden", "64,64", "--validation-batch", "0", "--out", files["r.onnx"]);
        Assert.AreEqual(0, code, error);

        float[] z = new float[2 * 500];
        new StandardNormal(2).Sample(new RandomStream(11, 1), z);
        static OdeSamplingOptions Ode(OdeMethod method, int steps) => new() { Solver = new() { Method = method, Steps = steps } };
        float[] reference, teacherOneStep, studentOneStep;
        using (VelocityModel model = VelocityModel.Load(teacher, Cpu))
        {
            reference = model.Transport(z, Ode(OdeMethod.RungeKutta4, 20));
            teacherOneStep = model.Transport(z, Ode(OdeMethod.Euler, 1));
        }

        using (VelocityModel student = VelocityModel.Load(files["r.onnx"], Cpu))
        {
            StringAssert.StartsWith(student.Contract!.Teacher, "gmm8.onnx rk4:20 pairs:2000");
            Assert.AreEqual("gmm8", student.Contract.Target);
            studentOneStep = student.Transport(z, Ode(OdeMethod.Euler, 1));
        }

        double Error(float[] x) => Enumerable.Range(0, 500).Average(i => Math.Sqrt(Math.Pow(x[2 * i] - reference[2 * i], 2) + Math.Pow(x[2 * i + 1] - reference[2 * i + 1], 2)));
        double teacherError = Error(teacherOneStep), studentError = Error(studentOneStep);
        Assert.IsTrue(studentError < 0.5 * teacherError, $"one Euler step: student {studentError:F3} from the teacher's end point, teacher itself {teacherError:F3}");
    }

    [TestMethod]
    public void AResumedReflowRunWritesTheSameModel()
    {
        using var files = new TestFiles();
        string[] common = ["reflow", "--teacher", RepositoryFiles.Path("models", "gmm8.onnx"), "--pairs", "500", "--teacher-steps", "4", "--batch", "64", "--hidden", "16", "--validation-batch", "0"];
        Assert.AreEqual(0, CommandLine.Trainer([.. common, "--steps", "30", "--out", files["full.onnx"]]).ExitCode);
        Assert.AreEqual(0, CommandLine.Trainer([.. common, "--steps", "15", "--out", files["half.onnx"], "--checkpoint", files["c.ckpt"], "--checkpoint-every", "5"]).ExitCode);
        var (code, error) = CommandLine.Trainer("train", "--resume", files["c.ckpt"], "--steps", "30", "--out", files["resumed.onnx"]);
        Assert.AreEqual(0, code, error);
        CollectionAssert.AreEqual(File.ReadAllBytes(files["full.onnx"]), File.ReadAllBytes(files["resumed.onnx"]));
    }

    [TestMethod]
    public void AnImageTeacherIsRefusedNamingTheFile()
    {
        using var files = new TestFiles();
        var (code, error) = CommandLine.Trainer("reflow", "--teacher", RepositoryFiles.Path("models", "fashion-mnist.onnx"), "--out", files["r.onnx"]);
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, "fashion-mnist.onnx");
        StringAssert.Contains(error, "not a plain point model");
        Assert.IsFalse(File.Exists(files["r.onnx"]));
    }
}

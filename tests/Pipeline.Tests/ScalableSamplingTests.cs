using FlowMatching.Training.Network;
using FlowMatching.Training.Training;

namespace FlowMatching.Tests;

[TestClass]
public sealed class ScalableSamplingTests
{
    private static string TrainedModel(TestFiles files)
    {
        var options = new TrainingOptions { Steps = 20, Batch = 128, Hidden = [64, 64], Seed = 4, ValidationBatch = 0 };
        using VelocityNetwork network = Models.Train(options);
        return Models.Export(network, options, files["m.onnx"]);
    }

    private static string[] Body(string path) => File.ReadAllLines(path)[1..];

    [TestMethod]
    [DataRow("ode", "euler")]
    [DataRow("sde", "em")]
    [DataRow("sde", "heun")]
    public void ChunkSizeThreadsAndSplitsDoNotChangeABit(string sampler, string method)
    {
        using var files = new TestFiles();
        string model = TrainedModel(files);
        string[] Run(string name, params string[] extra)
        {
            var (code, error) = CommandLine.Runtime(["sample", "--model", model, "--provider", "cpu", "--sampler", sampler, "--method", method, "--steps", "20", "--out", files[name], .. extra, .. extra.Contains("--seed") ? Array.Empty<string>() : ["--seed", "9"]]);
            Assert.AreEqual(0, code, error);
            return Body(files[name]);
        }

        string[] single = Run("single.csv", "--n", "1000");
        CollectionAssert.AreEqual(single, Run("chunked.csv", "--n", "1000", "--chunk", "137"));
        CollectionAssert.AreEqual(single, Run("one-thread.csv", "--n", "1000", "--chunk", "250", "--threads", "1"));
        string[] first = Run("part1.csv", "--n", "400");
        string[] second = Run("part2.csv", "--n", "600", "--offset", "400", "--chunk", "333");
        CollectionAssert.AreEqual(single, first.Concat(second).ToArray());
        CollectionAssert.AreNotEqual(single, Run("other-seed.csv", "--n", "1000", "--seed", "10"));
    }

    [TestMethod]
    public void EveryMethodReportsItsEvaluations()
    {
        using var files = new TestFiles();
        (string[] Args, string Nfe)[] runs =
        [
            (["--method", "euler", "--steps", "10"], "NFE 10 "),
            (["--method", "midpoint", "--steps", "10"], "NFE 20 "),
            (["--method", "heun", "--steps", "10"], "NFE 20 "),
            (["--method", "rk4", "--steps", "10"], "NFE 40 "),
            (["--sampler", "sde", "--method", "heun", "--steps", "10", "--denoise"], "NFE 21 "),
            (["--method", "dopri5"], "NFE "),
        ];
        foreach (var (args, nfe) in runs)
        {
            var (code, error) = CommandLine.Runtime(["sample", "--model", "exact:gmm8", "--n", "100", "--out", files[$"{args[1]}.csv"], "--force", .. args]);
            Assert.AreEqual(0, code, error);
            StringAssert.Contains(error, nfe);
        }
    }
}

using System.Diagnostics;

namespace FlowMatching.Tests;

/// <summary>docs/scaling.md's promise: shards run as separate processes, concatenated in index order, equal the single run.</summary>
[TestClass]
public sealed class ShardedSamplingTests
{
    [TestMethod]
    [Timeout(180000, CooperativeCancellation = true)]
    [DataRow("ode")]
    [DataRow("sde")]
    public void ParallelShardsConcatenateToTheSingleRun(string sampler)
    {
        using var files = new TestFiles();
        const int shards = 3, perShard = 400;
        Process[] running = Enumerable.Range(0, shards)
            .Select(k => Start(sampler, perShard, k * perShard, files[$"shard-{k}.csv"]))
            .Append(Start(sampler, shards * perShard, 0, files["single.csv"]))
            .ToArray();
        foreach (Process process in running)
        {
            using (process)
            {
                string error = process.StandardError.ReadToEnd();
                process.WaitForExit();
                Assert.AreEqual(0, process.ExitCode, error);
            }
        }

        string[] single = File.ReadAllLines(files["single.csv"]);
        string[] concatenated = [single[0], .. Enumerable.Range(0, shards).SelectMany(k => File.ReadAllLines(files[$"shard-{k}.csv"]).Skip(1))];
        Assert.AreEqual(1 + shards * perShard, single.Length);
        CollectionAssert.AreEqual(single, concatenated);
    }

    private static Process Start(string sampler, int n, int offset, string output)
    {
        string runtime = Path.Combine(AppContext.BaseDirectory, "flowmatch.dll");
        var start = new ProcessStartInfo("dotnet",
            [runtime, "sample", "--model", RepositoryFiles.Path("models", "gmm8.onnx"), "--provider", "cpu", "--threads", "1",
             "--sampler", sampler, "--steps", "20", "--n", $"{n}", "--offset", $"{offset}", "--seed", "9", "--out", output])
        {
            RedirectStandardError = true,
        };
        return Process.Start(start)!;
    }
}

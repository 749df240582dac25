namespace FlowMatching.Tests;

/// <summary>An option that does not apply to the chosen sampler or method is refused, never silently ignored.</summary>
[TestClass]
public sealed class OptionApplicabilityTests
{
    [TestMethod]
    [DataRow("--eps", "sample --sampler ode --eps 1")]
    [DataRow("--denoise", "sample --sampler ode --denoise")]
    [DataRow("--diffusion", "sample --diffusion constant")]
    [DataRow("--steps", "sample --method dopri5 --steps 20")]
    [DataRow("--rtol", "sample --method euler --rtol 1e-3")]
    [DataRow("--max-steps", "sample --method rk4 --max-steps 5")]
    [DataRow("--atol", "sample --sampler sde --atol 1e-3")]
    [DataRow("--steps", "logprob --method dopri5 --steps 20")]
    [DataRow("--rtol", "logprob --method rk4 --rtol 1e-3")]
    [DataRow("--probes", "logprob --divergence exact --probes 3")]
    public void InapplicableOptionIsRefusedNamingIt(string flag, string command)
    {
        using var files = new TestFiles();
        files.Write("x.csv", "0,0\n1,1\n");
        string[] args = [.. command.Split(' '), "--model", "exact:gmm8", "--out", files["out.csv"], .. command.StartsWith("logprob") ? new[] { "--in", files["x.csv"] } : []];
        var (code, error) = CommandLine.Runtime(args);
        Assert.AreEqual(1, code, error);
        string[] errors = error.Split('\n').Where(l => l.StartsWith("flowmatch: error: ", StringComparison.Ordinal)).ToArray();
        Assert.AreEqual(1, errors.Length, error);
        StringAssert.Contains(errors[0].Split(':')[2], flag);
        Assert.IsFalse(File.Exists(files["out.csv"]));
    }

    [TestMethod]
    [DataRow("sample --method dopri5 --rtol 1e-3")]
    [DataRow("sample --sampler sde --eps 1 --diffusion constant --denoise --steps 10")]
    [DataRow("logprob --divergence hutchinson --probes 2 --steps 10")]
    public void ApplicableOptionsAreAccepted(string command)
    {
        using var files = new TestFiles();
        files.Write("x.csv", "0,0\n1,1\n");
        string[] args = [.. command.Split(' '), "--model", "exact:gmm8", "--out", files["out.csv"], .. command.StartsWith("logprob") ? new[] { "--in", files["x.csv"] } : ["--n", "20"]];
        var (code, error) = CommandLine.Runtime(args);
        Assert.AreEqual(0, code, error);
        Assert.IsTrue(File.Exists(files["out.csv"]));
    }
}

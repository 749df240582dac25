using FlowMatching.Cli;

namespace FlowMatching.Tests;

[TestClass]
public sealed class ProgressTests
{
    [TestMethod]
    public void TimeLeftCountsOnlyThisRunsWork()
    {
        // A run resumed at step 4000 of 10000 that did 40 steps in 40 s has 5960 s left, not 60 s.
        Assert.AreEqual(5960, ProgressReporter.TimeLeft(TimeSpan.FromSeconds(40), 4040, 10000, 4000)!.Value.TotalSeconds, 1e-9);
        Assert.AreEqual(30, ProgressReporter.TimeLeft(TimeSpan.FromSeconds(10), 25, 100, 0)!.Value.TotalSeconds, 1e-9);
        Assert.IsNull(ProgressReporter.TimeLeft(TimeSpan.FromSeconds(3), 4000, 10000, 4000));
    }
}

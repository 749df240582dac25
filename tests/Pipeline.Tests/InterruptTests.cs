using System.Diagnostics;
using FlowMatching.Training.Training;

namespace FlowMatching.Tests;

[TestClass]
public sealed class InterruptTests
{
    private const int SigInt = 2;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    [TestMethod]
    [Timeout(120000, CooperativeCancellation = true)]
    public void SigintWritesACheckpointAndExitsCleanlySayingHowToResume()
    {
        using var files = new TestFiles();
        string trainer = Path.Combine(AppContext.BaseDirectory, "trainer.dll");
        // A job started in the background of a non-interactive shell (as CI may run this suite) inherits
        // SIGINT as ignored, and .NET then leaves it ignored; env --default-signal gives the trainer the
        // default disposition a terminal user's process has.
        var start = new ProcessStartInfo("env", ["--default-signal=INT", "dotnet", trainer, "train", "--steps", "1000000", "--batch", "64", "--hidden", "16", "--out", files["m.onnx"], "--validation-batch", "0"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using Process process = Process.Start(start)!;
        var error = new System.Text.StringBuilder();
        bool training = false;
        process.ErrorDataReceived += (_, e) =>
        {
            lock (error)
            {
                error.AppendLine(e.Data);
                training |= e.Data?.StartsWith("train ", StringComparison.Ordinal) == true;
            }
        };
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!Volatile.Read(ref training) && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Thread.Sleep(100);
        }

        Thread.Sleep(500);
        Assert.AreEqual(0, Kill(process.Id, SigInt), "kill(2) failed");

        bool stopped = process.WaitForExit(30000);
        if (!stopped)
        {
            process.Kill();
        }

        Assert.IsTrue(stopped, "the trainer did not stop after SIGINT");
        process.WaitForExit();
        string said = error.ToString();
        Assert.AreEqual(130, process.ExitCode, said);
        StringAssert.Contains(said, "--resume");
        Assert.IsTrue(TrainingCheckpoint.ReadHeader(files["m.onnx.ckpt"]).Step > 0);
        Assert.IsFalse(File.Exists(files["m.onnx"]), "no model is exported from an interrupted run");
        Assert.IsFalse(files.Files.Any(f => f.EndsWith(".tmp")), string.Join(", ", files.Files));
    }
}

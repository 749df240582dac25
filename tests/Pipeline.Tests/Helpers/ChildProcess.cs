using System.Diagnostics;
using System.Text;

namespace FlowMatching.Tests;

/// <summary>The trainer or runtime run as a real child process, so real signals can be sent to it.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _error = new();
    private bool _started;

    private ChildProcess(string program, IEnumerable<string> args, string? standardOutput)
    {
        // A job started in the background of a non-interactive shell (as CI may run this suite) inherits
        // SIGINT as ignored, and one started under nohup SIGHUP; env --default-signal gives the child the
        // dispositions a terminal user's has.
        string dll = Path.Combine(AppContext.BaseDirectory, $"{program}.dll");
        string shell = standardOutput is null
            ? $"exec env --default-signal=INT,HUP,TERM dotnet {Quote(dll)} {string.Join(" ", args.Select(Quote))}"
            : $"exec env --default-signal=INT,HUP,TERM dotnet {Quote(dll)} {string.Join(" ", args.Select(Quote))} > {Quote(standardOutput)}";
        _process = Process.Start(new ProcessStartInfo("bash", ["-c", shell]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        string progress = args.First() + " ";
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_error)
            {
                _error.AppendLine(e.Data);
                _started |= e.Data?.StartsWith(progress, StringComparison.Ordinal) == true;
            }
        };
        _process.BeginErrorReadLine();
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    public static ChildProcess Start(string program, IEnumerable<string> args, string? standardOutput = null) => new(program, args, standardOutput);

    /// <summary>Waits for the first progress line, then sends the signal.</summary>
    public void SignalOnceWorking(int signal)
    {
        SignalWhen(Started, signal);
    }

    /// <summary>Waits until <paramref name="ready"/> holds (a minute at most), then sends the signal.</summary>
    public void SignalWhen(Func<bool> ready, int signal)
    {
        var clock = Stopwatch.StartNew();
        while (!ready() && clock.Elapsed < TimeSpan.FromSeconds(60) && !_process.HasExited)
        {
            Thread.Sleep(20);
        }

        Thread.Sleep(300);
        Assert.IsFalse(_process.HasExited, $"the process ended before the signal: {Error}");
        Assert.AreEqual(0, Kill(_process.Id, signal), "kill(2) failed");
    }

    public bool WaitForExit(int milliseconds)
    {
        bool exited = _process.WaitForExit(milliseconds);
        if (exited)
        {
            _process.WaitForExit();
        }

        return exited;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private bool Started()
    {
        lock (_error)
        {
            return _started;
        }
    }

    private static string Quote(string text) => $"'{text.Replace("'", "'\\''")}'";

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}

using System.Diagnostics;
using Spectre.Console;

namespace FlowMatching.Cli;

/// <summary>Receives progress from long work: units done so far and a short status (loss, rate).</summary>
public interface IProgressSink
{
    void Report(long done, string status);
}

/// <summary>
/// Shows progress on stderr: a live bar with time left on a terminal, and a plain line every few
/// seconds when stderr is a file or pipe (logs, CI), so progress never pollutes stdout or the outputs.
/// </summary>
public static class ProgressReporter
{
    public static void Run(string title, long total, Action<IProgressSink> work)
    {
        if (Console.IsErrorRedirected)
        {
            var sink = new LineSink(title, total);
            work(sink);
            sink.Finish();
            return;
        }

        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context => work(new BarSink(context.AddTask(Markup.Escape(title), maxValue: total), title, total)));
    }

    private sealed class BarSink(ProgressTask task, string title, long total) : IProgressSink
    {
        public void Report(long done, string status)
        {
            task.Value = done;
            task.Description = Markup.Escape($"{title} {done}/{total} {status}");
        }
    }

    private sealed class LineSink(string title, long total) : IProgressSink
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _lastPrinted = TimeSpan.FromSeconds(-10);
        private long _done;
        private long _lastPrintedDone = -1;
        private string _status = "";

        public void Report(long done, string status)
        {
            _done = done;
            _status = status;
            if (_clock.Elapsed - _lastPrinted >= TimeSpan.FromSeconds(5))
            {
                Print();
            }
        }

        public void Finish()
        {
            if (_lastPrintedDone != _done)
            {
                Print();
            }
        }

        private void Print()
        {
            _lastPrinted = _clock.Elapsed;
            _lastPrintedDone = _done;
            double seconds = _clock.Elapsed.TotalSeconds;
            double left = _done > 0 ? seconds * (total - _done) / _done : double.NaN;
            Console.Error.WriteLine($"{title} {_done}/{total} {_status} elapsed {seconds:F0}s left {(double.IsNaN(left) ? "?" : $"{left:F0}s")}");
        }
    }
}

using System.Diagnostics;
using FlowMatching.Progress;
using Spectre.Console;

namespace FlowMatching.Cli;

/// <summary>
/// Shows progress on stderr: a live bar with time left on a terminal, and a plain line every few
/// seconds when stderr is a file or pipe (logs, CI), so progress never pollutes stdout or the outputs.
/// </summary>
public static class ProgressReporter
{
    public static void Run(string title, long total, Action<IProgress<WorkProgress>> work)
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

    private sealed class BarSink(ProgressTask task, string title, long total) : IProgress<WorkProgress>
    {
        public void Report(WorkProgress value)
        {
            task.Value = value.Done;
            task.Description = Markup.Escape($"{title} {value.Done}/{total} {value.Status}");
        }
    }

    private sealed class LineSink(string title, long total) : IProgress<WorkProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _lastPrinted = TimeSpan.FromSeconds(-10);
        private long _done;
        private long _lastPrintedDone = -1;
        private string _status = "";

        public void Report(WorkProgress value)
        {
            _done = value.Done;
            _status = value.Status;
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

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
    /// <param name="start">units already done before this run (a resumed training's step), left out of the rate</param>
    public static void Run(string title, long total, Action<IProgress<WorkProgress>> work, long start = 0)
    {
        if (Console.IsErrorRedirected)
        {
            var sink = new LineSink(title, total, start);
            work(sink);
            sink.Finish();
            return;
        }

        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context => work(new BarSink(context.AddTask(Markup.Escape(title), maxValue: total - start), title, total, start)));
    }

    /// <summary>The time the rest takes at this run's rate; null before the run has done anything.</summary>
    public static TimeSpan? TimeLeft(TimeSpan elapsed, long done, long total, long start) =>
        done > start ? elapsed * ((double)(total - done) / (done - start)) : null;

    // The bar spans this run's units only, so its time left is not skewed by work done before a resume.
    private sealed class BarSink(ProgressTask task, string title, long total, long start) : IProgress<WorkProgress>
    {
        public void Report(WorkProgress value)
        {
            task.Value = value.Done - start;
            task.Description = Markup.Escape($"{title} {value.Done}/{total} {value.Status}");
        }
    }

    private sealed class LineSink(string title, long total, long start) : IProgress<WorkProgress>
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
            TimeSpan? left = TimeLeft(_clock.Elapsed, _done, total, start);
            Console.Error.WriteLine($"{title} {_done}/{total} {_status} elapsed {seconds:F0}s left {(left is { } l ? $"{l.TotalSeconds:F0}s" : "?")}");
        }
    }
}

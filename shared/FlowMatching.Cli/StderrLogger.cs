using Microsoft.Extensions.Logging;

namespace FlowMatching.Cli;

/// <summary>
/// The CLIs' logger: the library's information and warnings as one plain line each on stderr, prefixed
/// with the program's name, so diagnostics never mix with the data a command writes to stdout.
/// </summary>
public sealed class StderrLogger(string program, LogLevel minimum = LogLevel.Information) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Console.Error.WriteLine($"{program}: {formatter(state, exception)}");
        }
    }
}

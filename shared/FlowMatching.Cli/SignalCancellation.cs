using System.Runtime.InteropServices;

namespace FlowMatching.Cli;

/// <summary>
/// Turns SIGINT (Ctrl-C), SIGTERM (kill, timeout, docker stop, schedulers) and SIGHUP into a cancellation,
/// so a command stops between steps, removes its temporary files or saves its checkpoint, and exits with
/// the shell's code for the signal (128 + its number).
/// </summary>
public sealed class SignalCancellation : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _number;

    public SignalCancellation()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, 2)),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, 15)),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => Stop(context, 1)),
        ];
    }

    public CancellationToken Token => _source.Token;

    /// <summary>The signal that stopped the work, by name; null while none came.</summary>
    public string? Signal => Volatile.Read(ref _number) switch
    {
        0 => null,
        2 => "SIGINT",
        15 => "SIGTERM",
        1 => "SIGHUP",
        int other => $"signal {other}",
    };

    public int ExitCode => 128 + Volatile.Read(ref _number);

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }

        _source.Dispose();
    }

    private void Stop(PosixSignalContext context, int number)
    {
        context.Cancel = true;
        Interlocked.CompareExchange(ref _number, number, 0);
        _source.Cancel();
    }
}

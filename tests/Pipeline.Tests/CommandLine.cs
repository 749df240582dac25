using System.CommandLine;
using FlowMatching.Cli;

namespace FlowMatching.Tests;

/// <summary>Runs the trainer's or runtime's command line in-process and captures what it says on stderr.</summary>
public static class CommandLine
{
    private static readonly Lock ConsoleLock = new();

    public static (int ExitCode, string Error) Trainer(params string[] args) =>
        Run(FlowMatching.Training.TrainerCommands.CreateRoot(), "trainer", args);

    public static (int ExitCode, string Error) Runtime(params string[] args) =>
        Run(FlowMatching.Runtime.RuntimeCommands.CreateRoot(), "runtime", args);

    private static (int ExitCode, string Error) Run(RootCommand root, string program, string[] args)
    {
        lock (ConsoleLock)
        {
            TextWriter original = Console.Error;
            var captured = new StringWriter();
            Console.SetError(captured);
            try
            {
                return (CommandRunner.Run(root, args, program), captured.ToString());
            }
            finally
            {
                Console.SetError(original);
            }
        }
    }
}

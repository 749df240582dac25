using System.CommandLine;
using FlowMatching.Cli;

namespace FlowMatching.Tests;

/// <summary>Runs the trainer's or runtime's command line in-process and captures what it says on stderr and on stdout.</summary>
public static class CommandLine
{
    private static readonly Lock ConsoleLock = new();

    public static (int ExitCode, string Error) Trainer(params string[] args)
    {
        var (code, _, error) = TrainerWithOutput(args);
        return (code, error);
    }

    public static (int ExitCode, string Output, string Error) TrainerWithOutput(params string[] args) =>
        Run(FlowMatching.Training.Cli.TrainerCommands.CreateRoot(), FlowMatching.Training.Cli.TrainerCommands.Name, FlowMatching.Training.Cli.TrainerVocabulary.Vocabulary, args);

    public static (int ExitCode, string Error) Runtime(params string[] args)
    {
        var (code, _, error) = RuntimeWithOutput(args);
        return (code, error);
    }

    public static (int ExitCode, string Output, string Error) RuntimeWithOutput(params string[] args) =>
        Run(FlowMatching.Runtime.Cli.RuntimeCommands.CreateRoot(), FlowMatching.Runtime.Cli.RuntimeCommands.Name, FlowMatching.Runtime.Cli.CliChoices.Vocabulary, args);

    private static (int ExitCode, string Output, string Error) Run(RootCommand root, string program, CliVocabulary vocabulary, string[] args)
    {
        lock (ConsoleLock)
        {
            (TextWriter originalError, TextWriter originalOutput) = (Console.Error, Console.Out);
            var (error, output) = (new StringWriter(), new StringWriter());
            Console.SetError(error);
            Console.SetOut(output);
            try
            {
                return (CommandRunner.Run(root, args, program, vocabulary), output.ToString(), error.ToString());
            }
            finally
            {
                Console.SetError(originalError);
                Console.SetOut(originalOutput);
            }
        }
    }
}

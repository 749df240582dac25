using System.CommandLine;
using System.CommandLine.Help;
using System.Text.RegularExpressions;
using FlowMatching.Errors;

namespace FlowMatching.Cli;

/// <summary>
/// Runs a command line so that every user mistake (an unknown flag, a bad value, a bad file) ends as
/// one line on stderr naming what was wrong, with a non-zero exit code, and no stack trace.
/// </summary>
public static class CommandRunner
{
    public const int UsageError = 2;
    public const int InputError = 1;

    /// <summary>What an action returns when it stopped because a signal asked it to (after saving what it could).</summary>
    public const int Interrupted = -1;

    public static int Run(RootCommand root, string[] args, string program, CliVocabulary vocabulary)
    {
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine($"{program}: {Usage(parse)} (see '{program} --help')");
            return UsageError;
        }

        if (parse.Action is HelpAction)
        {
            var help = new StringWriter();
            parse.Invoke(new InvocationConfiguration { Output = help });
            Console.Out.Write(WithChoiceNames(help.ToString(), parse.CommandResult.Command));
            return 0;
        }

        using var signals = new SignalCancellation();
        try
        {
            // The library's cancellation, not System.CommandLine's own Ctrl-C handling, stops the work.
            int code = parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, signals.Token)
                .GetAwaiter().GetResult();
            return code == Interrupted ? signals.ExitCode : code;
        }
        catch (OperationCanceledException) when (signals.Signal is { } signal)
        {
            Console.Error.WriteLine($"{program}: stopped by {signal}; no output was written");
            return signals.ExitCode;
        }
        catch (UserInputException e)
        {
            Console.Error.WriteLine($"{program}: error: {e.Message}");
            return InputError;
        }
        catch (FlowMatchingException e)
        {
            Console.Error.WriteLine($"{program}: error: {vocabulary.Word(e)}");
            return InputError;
        }
    }

    /// <summary>Sets an action that gets the token SIGINT, SIGTERM and SIGHUP cancel.</summary>
    public static void SetAction(this Command command, Func<ParseResult, CancellationToken, int> action) =>
        command.SetAction((parse, token) => Task.FromResult(action(parse, token)));

    // Help prints a default as its value's ToString(): a typed choice's enum member (RungeKutta4), which the
    // option itself refuses, where the user types its name (rk4). Its own help builder is not public.
    private static string WithChoiceNames(string help, Command command)
    {
        foreach (CliOptions.IChoiceOption choice in command.Options.OfType<CliOptions.IChoiceOption>())
        {
            help = Regex.Replace(help, $@"\[default:(\s+){Regex.Escape(choice.DefaultMember)}\]", $"[default:${{1}}{choice.DefaultName}]");
        }

        // A default the model's recommendation overrides is not what an unset option means for such a model.
        foreach (CliOptions.IRecommendable option in command.Options.OfType<CliOptions.IRecommendable>().Where(o => o.ModelRecommends))
        {
            help = Regex.Replace(help, $@"(?m)^(\s*{Regex.Escape(option.Name)} [^\n]*)\[default: ([^\]\n]*)\]", "$1[default: the model's recommendation, else $2]");
        }

        return help;
    }

    // The option or subcommand a misspelt word most likely meant: the fewest edits, at most a third of its length
    // (and 2), or the one option it begins (--num for --n). System.CommandLine's own typo corrections print a list
    // to standard output, where samples may be going; this keeps the error to its one line on stderr.
    private static string? Nearest(string word, Command command)
    {
        IEnumerable<string> names = command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name))
            .Concat(command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
        (string Name, int Distance)[] ranked = [.. names.Distinct().Select(n => (n, EditDistance(word, n))).OrderBy(p => p.Item2)];
        if (ranked.Length > 0 && ranked[0].Distance <= Math.Max(2, word.Length / 3))
        {
            return ranked[0].Name;
        }

        string[] prefixes = [.. ranked.Select(p => p.Name).Where(n => n.StartsWith("--", StringComparison.Ordinal) && word.StartsWith(n, StringComparison.Ordinal))];
        return prefixes.Length == 1 ? prefixes[0] : null;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    // System.CommandLine's first error, worded to name the word it could not use and the type it wanted.
    private static string Usage(ParseResult parse)
    {
        if (parse.UnmatchedTokens.Count > 0)
        {
            string path = string.Join(" ", parse.CommandResult.Command.Name == parse.RootCommandResult.Command.Name
                ? [] : new[] { parse.CommandResult.Command.Name });
            string word = parse.UnmatchedTokens[0];
            string? near = Nearest(word, parse.CommandResult.Command);
            return $"'{word}' is not a command or option{(path.Length > 0 ? $" of {path}" : "")}{(near is null ? "" : $"; did you mean {near}?")}";
        }

        string message = parse.Errors[0].Message;
        System.Text.RegularExpressions.Match typed = System.Text.RegularExpressions.Regex.Match(message, "Cannot parse argument '(.*)' for option '(.*)' as expected type '(.*)'");
        if (typed.Success)
        {
            string wanted = typed.Groups[3].Value switch
            {
                "System.Int32" or "System.Int64" => "a whole number",
                "System.Double" or "System.Single" => "a number",
                "System.Boolean" => "true or false",
                _ => "another kind of value",
            };
            return $"{typed.Groups[2].Value} {typed.Groups[1].Value}: expected {wanted}";
        }

        return message;
    }
}

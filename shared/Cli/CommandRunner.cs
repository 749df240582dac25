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
        foreach (IChoiceOption choice in command.Options.OfType<IChoiceOption>())
        {
            help = Regex.Replace(help, $@"\[default:(\s+){Regex.Escape(choice.DefaultMember)}\]", $"[default:${{1}}{choice.DefaultName}]");
        }

        return help;
    }

    // System.CommandLine's first error, worded to name the word it could not use and the type it wanted.
    private static string Usage(ParseResult parse)
    {
        if (parse.UnmatchedTokens.Count > 0)
        {
            string path = string.Join(" ", parse.CommandResult.Command.Name == parse.RootCommandResult.Command.Name
                ? [] : new[] { parse.CommandResult.Command.Name });
            return $"'{parse.UnmatchedTokens[0]}' is not a command or option{(path.Length > 0 ? $" of {path}" : "")}";
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

    /// <summary>An option whose value must be one of <paramref name="choices"/>.</summary>
    public static Option<string> Choice(string name, string description, string defaultValue, params string[] choices)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.AcceptOnlyFromAmong(choices);
        return option;
    }

    /// <summary>An option whose value is one of a typed choice's names.</summary>
    public static Option<T> Choice<T>(string name, string description, NameTable<T> table, T defaultValue) where T : struct, Enum
    {
        var option = new ChoiceOption<T>(name, defaultValue.ToString(), table.Name(defaultValue))
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (table.TryParse(text, out T value))
                {
                    return value;
                }

                result.AddError($"{name} {text}: expected one of {string.Join(", ", table.Names)}");
                return defaultValue;
            },
        };
        // The enum's own member names would be listed beside the table's otherwise (Auto|auto|Cpu|cpu).
        option.CompletionSources.Clear();
        option.CompletionSources.Add([.. table.Names]);
        option.HelpName = string.Join("|", table.Names);
        return option;
    }

    /// <summary>An option read by <paramref name="tryParse"/>; a value it refuses is an error that says what was <paramref name="expected"/>.</summary>
    public static Option<T> Parsed<T>(string name, string description, T defaultValue, TryParseText<T> tryParse, string expected) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (tryParse(text, out T value))
            {
                return value;
            }

            result.AddError($"{name} {text}: expected {expected}");
            return defaultValue;
        },
    };

    public delegate bool TryParseText<T>(string text, out T value);

    /// <summary>True when the user wrote the option, rather than it taking its default.</summary>
    public static bool IsGiven(this ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <summary>Refuses options that do not apply to what was chosen, naming the first one given.</summary>
    public static void Refuse(this ParseResult parse, string reason, params Option[] options)
    {
        foreach (Option option in options)
        {
            if (parse.IsGiven(option))
            {
                throw new UserInputException($"{option.Name}: {reason}");
            }
        }
    }

    public static Option<T> Option<T>(string name, string description, T defaultValue) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    public static Option<T> Option<T>(string name, string description) => new(name) { Description = description };

    /// <summary>Rejects a value outside [min, max] with a message naming the flag.</summary>
    public static T InRange<T>(this ParseResult parse, Option<T> option, T min, T max) where T : IComparable<T>
    {
        T value = parse.GetValue(option)!;
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            throw new UserInputException($"{option.Name} must be between {min} and {max}, not {value}");
        }

        return value;
    }

    /// <summary>The same for an option without a default: null when it is not given.</summary>
    public static T? InRange<T>(this ParseResult parse, Option<T?> option, T min, T max) where T : struct, IComparable<T>
    {
        T? value = parse.GetValue(option);
        if (value is { } given && (given.CompareTo(min) < 0 || given.CompareTo(max) > 0))
        {
            throw new UserInputException($"{option.Name} must be between {min} and {max}, not {given}");
        }

        return value;
    }

    private interface IChoiceOption
    {
        string DefaultMember { get; }

        string DefaultName { get; }
    }

    private sealed class ChoiceOption<T>(string name, string defaultMember, string defaultName) : Option<T>(name), IChoiceOption
    {
        public string DefaultMember => defaultMember;

        public string DefaultName => defaultName;
    }
}

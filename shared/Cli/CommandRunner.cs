using System.CommandLine;
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

    public static int Run(RootCommand root, string[] args, string program, CliVocabulary vocabulary)
    {
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine($"{program}: {parse.Errors[0].Message} (see '{program} --help')");
            return UsageError;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
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
        var option = new Option<T>(name)
        {
            Description = $"{description} ({string.Join("|", table.Names)})",
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
        option.CompletionSources.Add([.. table.Names]);
        return option;
    }

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
}

using System.CommandLine;
using System.CommandLine.Parsing;

namespace FlowMatching.Cli;

/// <summary>How both programs declare and read options: typed choices, parsed values, ranges, options that do not apply.</summary>
public static class CliOptions
{
    /// <summary>An option whose value is one of a typed choice's names.</summary>
    public static Option<T> Choice<T>(string name, string description, NameTable<T> table, T defaultValue, bool modelRecommends = false) where T : struct, Enum
    {
        var option = new ChoiceOption<T>(name, defaultValue.ToString(), table.Name(defaultValue))
        {
            ModelRecommends = modelRecommends,
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = Parser(name, defaultValue, table.TryParse, $"one of {string.Join(", ", table.Names)}"),
        };
        // The enum's own member names would be listed beside the table's otherwise (Auto|auto|Cpu|cpu).
        option.CompletionSources.Clear();
        option.CompletionSources.Add([.. table.Names]);
        option.HelpName = string.Join("|", table.Names);
        return option;
    }

    /// <summary>An option read by <paramref name="tryParse"/>; a value it refuses is an error that says what was <paramref name="expected"/>.</summary>
    public static Option<T> Parsed<T>(string name, string description, T defaultValue, TryParseText<T> tryParse, string expected, bool modelRecommends = false) =>
        new RecommendableOption<T>(name, modelRecommends)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = Parser(name, defaultValue, tryParse, expected),
        };

    // A value the reader refuses is an error naming the flag, the word and what was expected.
    private static Func<ArgumentResult, T> Parser<T>(string name, T defaultValue, TryParseText<T> tryParse, string expected) => result =>
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (tryParse(text, out T value))
        {
            return value;
        }

        result.AddError($"{name} {text}: expected {expected}");
        return defaultValue;
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

    /// <summary>An option whose default stands only where the model recommends nothing; help says so.</summary>
    public static Option<T> Recommendable<T>(string name, string description, T fallback) =>
        new RecommendableOption<T>(name, true) { Description = description, DefaultValueFactory = _ => fallback };

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

    internal interface IChoiceOption
    {
        string DefaultMember { get; }

        string DefaultName { get; }
    }

    /// <summary>An option whose value, when not given, is the model's recommendation before its own default.</summary>
    internal interface IRecommendable
    {
        string Name { get; }

        bool ModelRecommends { get; }
    }

    internal sealed class ChoiceOption<T>(string name, string defaultMember, string defaultName) : Option<T>(name), IChoiceOption, IRecommendable
    {
        public string DefaultMember => defaultMember;

        public string DefaultName => defaultName;

        public bool ModelRecommends { get; init; }
    }

    private sealed class RecommendableOption<T>(string name, bool modelRecommends) : Option<T>(name), IRecommendable
    {
        public bool ModelRecommends => modelRecommends;
    }
}

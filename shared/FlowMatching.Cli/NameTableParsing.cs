namespace FlowMatching.Cli;

/// <summary>A name table read from the command line: an unknown name is the user's error, naming the flag.</summary>
public static class NameTableParsing
{
    public static T Parse<T>(this NameTable<T> table, string name, string flag) where T : struct, Enum => table.TryParse(name, out T value)
        ? value
        : throw new UserInputException($"{flag} {name}: expected one of {string.Join(", ", table.Names)}");
}

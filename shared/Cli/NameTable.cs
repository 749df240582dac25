namespace FlowMatching.Cli;

/// <summary>The command-line names of one typed choice, both ways.</summary>
public sealed class NameTable<T>(params (string Name, T Value)[] entries) where T : struct, Enum
{
    /// <summary>Every member under the one name <paramref name="name"/> gives it, the name model files store too.</summary>
    public static NameTable<T> Of(Func<T, string> name) => new([.. Enum.GetValues<T>().Select(v => (name(v), v))]);

    public IReadOnlyList<string> Names { get; } = entries.Select(e => e.Name).ToArray();

    public bool TryParse(string name, out T value)
    {
        foreach ((string n, T v) in entries)
        {
            if (n == name)
            {
                value = v;
                return true;
            }
        }

        value = default;
        return false;
    }

    public T Parse(string name, string flag) => TryParse(name, out T value)
        ? value
        : throw new UserInputException($"{flag} {name}: expected one of {string.Join(", ", Names)}");

    public string Name(T value) => entries.First(e => EqualityComparer<T>.Default.Equals(e.Value, value)).Name;
}

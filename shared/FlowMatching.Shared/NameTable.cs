namespace FlowMatching;

/// <summary>
/// The names of one enum's members, both ways: the one name each member has in model files, checkpoints, JSON and
/// both command lines. Each enum with names has one table, declared beside it.
/// </summary>
public sealed class NameTable<T>(params (string Name, T Value)[] entries) where T : struct, Enum
{
    /// <summary>Every member under the one name <paramref name="name"/> gives it.</summary>
    public static NameTable<T> Of(Func<T, string> name) => new([.. Enum.GetValues<T>().Select(v => (name(v), v))]);

    /// <summary>Every member under its own name in lower case (cpu, unet): for enums whose names need no other spelling.</summary>
    public static NameTable<T> Lowercase() => Of(v => v.ToString().ToLowerInvariant());

    public IReadOnlyList<string> Names { get; } = entries.Select(e => e.Name).ToArray();

    /// <summary>The members that <paramref name="keep"/> accepts, under the same names.</summary>
    public NameTable<T> Where(Func<T, bool> keep) => new([.. entries.Where(e => keep(e.Value))]);

    public bool TryParse(string? name, out T value)
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

    public string Name(T value) => entries.First(e => EqualityComparer<T>.Default.Equals(e.Value, value)).Name;
}

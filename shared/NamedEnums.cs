namespace FlowMatching;

/// <summary>Reads an enum back from the one name a naming function gives each member (rk4, trig, relu).</summary>
public static class NamedEnums
{
    /// <summary>The member's own name in lower case (cpu, unet): for enums whose names need no other spelling.</summary>
    public static string Lowercase<T>(T member) where T : struct, Enum => member.ToString().ToLowerInvariant();

    public static bool TryParse<T>(Func<T, string> name, string? text, out T value) where T : struct, Enum
    {
        foreach (T member in Enum.GetValues<T>())
        {
            if (name(member) == text)
            {
                value = member;
                return true;
            }
        }

        value = default;
        return false;
    }
}

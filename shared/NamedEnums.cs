namespace FlowMatching;

/// <summary>Reads an enum back from the one name a naming function gives each member (rk4, trig, relu).</summary>
public static class NamedEnums
{
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

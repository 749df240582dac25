namespace FlowMatching.Tests;

/// <summary>What a user sees of an error: one line naming what is wrong, never a stack trace.</summary>
internal static class ErrorLines
{
    public static void AssertOne(string error, params string[] mentions)
    {
        string[] lines = error.Split('\n').Where(l => l.Contains("error:", StringComparison.Ordinal)).ToArray();
        Assert.AreEqual(1, lines.Length, error);
        foreach (string mention in mentions)
        {
            StringAssert.Contains(lines[0], mention);
        }

        Assert.IsFalse(error.Contains("   at ", StringComparison.Ordinal), $"a stack trace reached the user: {error}");
    }
}

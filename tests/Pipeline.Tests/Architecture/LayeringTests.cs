using System.Text.RegularExpressions;

namespace FlowMatching.Tests;

/// <summary>
/// The library layers never talk to a console or word a command-line flag: they throw typed exceptions and
/// report through ILogger and IProgress, and only the CLI layer (runtime/flowmatch, trainer/Cli, shared/FlowMatching.Cli) words them.
/// </summary>
[TestClass]
public sealed partial class LayeringTests
{
    private static readonly string[] DomainFolders =
    [
        "runtime/FlowMatching.Runtime", "shared/FlowMatching.Shared", "trainer",
    ];

    // The trainer's command line lives inside its project; the runtime's and the shared host are projects of their own.
    private const string TrainerCommandLine = "trainer/Cli/";

    [TestMethod]
    public void DomainCodeNeitherWritesToTheConsoleNorNamesAFlag()
    {
        var offences = new List<string>();
        int files = 0;
        foreach (string folder in DomainFolders)
        {
            foreach (string file in Directory.EnumerateFiles(RepositoryFiles.Path(folder), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/") && !f.Contains(TrainerCommandLine, StringComparison.Ordinal)))
            {
                files++;
                string[] lines = File.ReadAllLines(file);
                for (int i = 0; i < lines.Length; i++)
                {
                    string code = lines[i].TrimStart();
                    if (code.StartsWith("//", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    if (code.Contains("Console.", StringComparison.Ordinal) || FlagInString().IsMatch(code) || code.Contains("UserInputException", StringComparison.Ordinal))
                    {
                        offences.Add($"{Path.GetRelativePath(RepositoryFiles.Root, file)}:{i + 1}: {code}");
                    }
                }
            }
        }

        Assert.IsTrue(files > 40, $"only {files} files scanned");
        Assert.AreEqual(0, offences.Count, string.Join("\n", offences));
    }

    [TestMethod]
    public void TheScanSeesAFlagInAString()
    {
        Assert.IsTrue(FlagInString().IsMatch("throw new X($\"--steps must be positive\");"));
        Assert.IsFalse(FlagInString().IsMatch("int x = y--;"));
    }

    // A double dash followed by a letter inside a string literal: how a flag is named in a message.
    [GeneratedRegex("\"[^\"]*--[a-z]")]
    private static partial Regex FlagInString();
}

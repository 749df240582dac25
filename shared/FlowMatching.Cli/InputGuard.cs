using FlowMatching.Io;

namespace FlowMatching.Cli;

/// <summary>A run never writes over one of its own inputs, --force or not: the same file by path, link or hard link.</summary>
public static class InputGuard
{
    /// <summary>Refuses the first output that is an input, naming both by flag. Null paths, "-" and exact:NAME are skipped.</summary>
    public static void RefuseOverwriting(IEnumerable<(string Flag, string? Path)> outputs, IEnumerable<(string Flag, string? Path)> inputs)
    {
        (string Flag, string Path)[] files = [.. inputs.Where(i => IsFile(i.Path)).Select(i => (i.Flag, i.Path!))];
        foreach ((string outFlag, string? output) in outputs.Where(o => IsFile(o.Path)))
        {
            foreach ((string inFlag, string input) in files.Where(i => FileIdentity.Same(output!, i.Path)))
            {
                throw new UserInputException($"{outFlag} {output}: is {inFlag} {input}, an input of this run; write elsewhere (--force never overwrites an input)");
            }
        }
    }

    private static bool IsFile(string? path) => !string.IsNullOrEmpty(path) && path != "-" && !path.StartsWith("exact:", StringComparison.Ordinal);
}

namespace FlowMatching.Runtime.Cli;

/// <summary>
/// The models that travel with the program (models/ beside it in the tool package, or in the clone it was built
/// in), by short name: `--model fashion-mnist` works from any folder, and a file path still means that file.
/// </summary>
public static class ShippedModels
{
    /// <summary>The folder of shipped models, found from the program's own folder upwards; null when there is none.</summary>
    public static string? Folder { get; } = Find();

    /// <summary>The short names, e.g. gmm8 and fashion-mnist.</summary>
    public static IReadOnlyList<string> Names { get; } = Folder is null
        ? []
        : [.. Directory.EnumerateFiles(Folder, "*.onnx").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal)];

    /// <summary>The file a --model value means: a shipped model's name, else the value itself (a path or exact:NAME).</summary>
    public static string Resolve(string spec) =>
        Folder is not null && Names.Contains(spec) && !File.Exists(spec) ? PathOf(spec) : spec;

    public static string PathOf(string name) => Path.Combine(Folder ?? "models", name + ".onnx");

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "models");
            if (File.Exists(Path.Combine(candidate, "gmm8.onnx")))
            {
                return candidate;
            }
        }

        return null;
    }
}

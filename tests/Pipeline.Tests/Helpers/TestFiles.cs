namespace FlowMatching.Tests;

/// <summary>A private temporary folder per test, removed afterwards.</summary>
public sealed class TestFiles : IDisposable
{
    public TestFiles()
    {
        Root = Path.Combine(Path.GetTempPath(), "flowmatching-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string this[string name] => Path.Combine(Root, name);

    public string Write(string name, string contents)
    {
        File.WriteAllText(this[name], contents);
        return this[name];
    }

    /// <summary>Every file in the folder, including hidden temporaries, so tests can prove nothing partial was left.</summary>
    public IReadOnlyList<string> Files => Directory.GetFiles(Root).Select(Path.GetFileName).ToArray()!;

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

using FlowMatching.Errors;

namespace FlowMatching.Io;

/// <summary>
/// The image files of a folder in torchvision's ImageFolder convention, before any is opened: DIR/CLASS/*.png|jpg|...,
/// classes in the ordinal order of their folders' names and files in the ordinal order of theirs within each class,
/// or images directly in DIR for an unlabelled set. Other files are counted, not read.
/// </summary>
public sealed record ImageFolderListing(string Folder, IReadOnlyList<string> ClassNames, IReadOnlyList<string> Files, byte[]? Labels, int IgnoredFiles)
{
    public const int MaxClasses = 256;

    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".webp", ".gif"];

    public static ImageFolderListing Scan(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DataFormatException(folder, "no such folder");
        }

        string root = Path.GetFullPath(folder).TrimEnd('/');
        string[] classFolders = [.. Listing(folder, Directory.GetDirectories).Order(StringComparer.Ordinal)];
        if (classFolders.Length > MaxClasses)
        {
            throw new DataFormatException(folder, $"has {classFolders.Length} class folders; at most {MaxClasses} classes are supported");
        }

        var files = new List<string>();
        var labels = new List<byte>();
        int ignored = classFolders.Length > 0 ? Listing(folder, Directory.GetFiles).Length : 0;
        foreach ((string dir, int label) in classFolders.Length == 0 ? [(folder, 0)] : classFolders.Select((d, i) => (d, i)))
        {
            RefuseLoop(dir, root);
            string[] all = Listing(dir, Directory.GetFiles);
            string[] found = [.. all.Where(IsImageName).Order(StringComparer.Ordinal)];
            ignored += all.Length - found.Length;
            if (found.Length == 0 && classFolders.Length > 0)
            {
                throw new DataFormatException(dir, "an empty class folder (no .png, .jpg, .jpeg, .bmp, .webp or .gif files)");
            }

            files.AddRange(found);
            labels.AddRange(Enumerable.Repeat((byte)label, found.Length));
        }

        if (files.Count < 2)
        {
            throw new DataFormatException(folder, $"holds {files.Count} image(s); a data set needs at least 2");
        }

        return new ImageFolderListing(folder, [.. classFolders.Select(Path.GetFileName)!], files, classFolders.Length == 0 ? null : [.. labels], ignored);
    }

    private static bool IsImageName(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    private static string[] Listing(string dir, Func<string, string[]> list)
    {
        try
        {
            return list(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(dir, $"cannot be read ({e.Message})", inner: e);
        }
    }

    // A class folder that is a link back to the folder (or above it) would list the data set inside itself.
    private static void RefuseLoop(string dir, string root)
    {
        try
        {
            if (new DirectoryInfo(dir).ResolveLinkTarget(returnFinalTarget: true) is { } target
                && (root + "/").StartsWith(Path.GetFullPath(target.FullName).TrimEnd('/') + "/", StringComparison.Ordinal))
            {
                throw new DataFormatException(dir, $"is a symbolic link back to {target.FullName}, which holds it (a loop)");
            }
        }
        catch (IOException e)
        {
            throw new DataFormatException(dir, $"cannot be followed ({e.Message})", inner: e);
        }
    }
}

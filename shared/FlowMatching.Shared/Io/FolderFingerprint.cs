using System.Security.Cryptography;
using System.Text;

namespace FlowMatching.Io;

/// <summary>
/// What an image folder held, class by class: each class's file count and a SHA-256 over its files' names, sizes
/// and contents, as text lines ("CLASS\tCOUNT\tHASH"), so a checkpoint can keep it and a resume can name the
/// classes that changed. Reading the bytes costs far less than decoding them, which is what the cache saves.
/// </summary>
public static class FolderFingerprint
{
    private const string UnlabelledName = ".";

    public static string Of(ImageFolderListing listing, CancellationToken cancellation = default)
    {
        var hashes = new byte[listing.Files.Count][];
        Parallel.For(0, listing.Files.Count, new ParallelOptions { CancellationToken = cancellation }, i => hashes[i] = HashFile(listing.Files[i]));
        var lines = new StringBuilder();
        int classes = listing.Labels is null ? 1 : listing.ClassNames.Count;
        for (int c = 0; c < classes; c++)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            int count = 0;
            for (int i = 0; i < listing.Files.Count; i++)
            {
                if ((listing.Labels?[i] ?? 0) == c)
                {
                    hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(listing.Files[i]) + "\0"));
                    hash.AppendData(hashes[i]);
                    count++;
                }
            }

            lines.Append($"{(listing.Labels is null ? UnlabelledName : listing.ClassNames[c])}\t{count}\t{Convert.ToHexString(hash.GetHashAndReset())}\n");
        }

        return lines.ToString();
    }

    /// <summary>The classes whose files differ between two fingerprints, in words; null when they are the same.</summary>
    public static string? Changes(string before, string after)
    {
        Dictionary<string, (string Count, string Hash)> Parse(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t')).Where(p => p.Length == 3).ToDictionary(p => p[0], p => (p[1], p[2]));
        Dictionary<string, (string Count, string Hash)> was = Parse(before), now = Parse(after);
        var changes = new List<string>();
        foreach ((string name, (string count, string hash)) in now)
        {
            string label = name == UnlabelledName ? "the images" : $"class {name}";
            if (!was.TryGetValue(name, out var old))
            {
                changes.Add($"{label} is new ({count} images)");
            }
            else if (old.Count != count)
            {
                changes.Add($"{label} holds {count} images, was {old.Count}");
            }
            else if (old.Hash != hash)
            {
                changes.Add($"{label}: a file's name or contents changed");
            }
        }

        changes.AddRange(was.Keys.Where(name => !now.ContainsKey(name)).Select(name => $"class {name} is gone"));
        return changes.Count == 0 ? (before == after ? null : "its classes were renumbered") : string.Join("; ", changes);
    }

    // An unreadable file hashes as its error, so the decoder, not the fingerprint, reports it (or skips it).
    private static byte[] HashFile(string path)
    {
        try
        {
            using FileStream stream = File.OpenRead(path);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(BitConverter.GetBytes(stream.Length));
            hash.AppendData(SHA256.HashData(stream));
            return hash.GetHashAndReset();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return SHA256.HashData(Encoding.UTF8.GetBytes(e.GetType().Name));
        }
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FlowMatching.Errors;

namespace FlowMatching.Io;

/// <summary>
/// A decoded image folder kept in one file so later runs and resumes skip the decoding: a line naming the format, a
/// JSON line (the key: the folder's fingerprint and the reading options; the shape; the class names; what was
/// ignored or skipped; a SHA-256 of the rest), then the labels and the pixels as bytes. A cache whose key, length or
/// hash disagrees is a miss and is rewritten; a file there that is not a cache is never replaced.
/// </summary>
public static class ImageFolderCache
{
    private const string Magic = "flowmatching image cache 1";

    public static string Key(string fingerprint, ImageFolderOptions options) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{fingerprint}\n{ImageColors.Names.Name(options.Color)} {options.Size} {options.SkipBadImages}")));

    public static ImageFolderContents? TryRead(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using FileStream stream = File.OpenRead(path);
            if (ReadLine(stream) != Magic)
            {
                throw new DataFormatException(path, "is not an image cache, so it is neither read nor replaced; name another cache file");
            }

            Header? header = JsonSerializer.Deserialize<Header>(ReadLine(stream) ?? "");
            long length = header is null ? -1 : (header.Labelled ? header.Count : 0) + (long)header.Count * header.Channels * header.Height * header.Width;
            if (header is null || header.Key != key || length != stream.Length - stream.Position)
            {
                return null;
            }

            byte[] payload = new byte[length];
            stream.ReadExactly(payload);
            if (Convert.ToHexString(SHA256.HashData(payload)) != header.PayloadHash)
            {
                return null;
            }

            int labels = header.Labelled ? header.Count : 0;
            var images = new ImagePixels(header.Count, header.Height, header.Width, payload[labels..]) { Channels = header.Channels };
            return new ImageFolderContents(images, header.Labelled ? payload[..labels] : null, header.ClassNames, header.Ignored)
            {
                Skipped = header.Skipped,
                FoundColour = header.FoundColour,
                Cache = CacheUse.Read,
            };
        }
        catch (Exception e) when (e is JsonException or EndOfStreamException or OverflowException or ArgumentException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, $"cannot be read ({e.Message})", inner: e);
        }
    }

    public static void Write(string path, string key, ImageFolderContents contents)
    {
        ImagePixels images = contents.Images;
        byte[] payload = [.. contents.Labels ?? [], .. images.Pixels];
        var header = new Header(key, images.Count, images.Channels, images.Height, images.Width, contents.Labels is not null, [.. contents.ClassNames],
            contents.IgnoredFiles, [.. contents.Skipped], contents.FoundColour, Convert.ToHexString(SHA256.HashData(payload)));
        using AtomicFile file = AtomicFile.Create(path, overwrite: true);
        file.Write(Encoding.UTF8.GetBytes($"{Magic}\n{JsonSerializer.Serialize(header)}\n"));
        file.Write(payload);
        file.Commit();
    }

    private static string? ReadLine(Stream stream)
    {
        var bytes = new List<byte>();
        for (int b = stream.ReadByte(); b is not (-1 or '\n'); b = stream.ReadByte())
        {
            if (bytes.Count > 1 << 24)
            {
                return null;
            }

            bytes.Add((byte)b);
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private sealed record Header(string Key, int Count, int Channels, int Height, int Width, bool Labelled, string[] ClassNames, int Ignored,
        SkippedImage[] Skipped, bool FoundColour, string PayloadHash);
}

using System.Text;
using FlowMatching.Errors;

namespace FlowMatching.Io;

/// <summary>An image file left out of a data set by --skip-bad-images, and why.</summary>
public sealed record SkippedImage(string File, string Problem);

/// <summary>Whether an image cache was read, written, or not used.</summary>
public enum CacheUse
{
    None,
    Read,
    Written,
}

/// <summary>
/// What an image folder decoded to: the pixels, each image's class (null without class folders), the class names (the
/// folders' names in sorted order), the other files ignored, and the bad images skipped.
/// </summary>
public sealed record ImageFolderContents(ImagePixels Images, byte[]? Labels, IReadOnlyList<string> ClassNames, int IgnoredFiles)
{
    public IReadOnlyList<SkippedImage> Skipped { get; init; } = [];

    /// <summary>Whether any image had colour (whatever channels it was read into).</summary>
    public bool FoundColour { get; init; }

    public CacheUse Cache { get; init; }

    /// <summary>The folder's <see cref="FolderFingerprint"/>, whatever the options read it into.</summary>
    public string Fingerprint { get; init; } = "";

    /// <summary>What was read, for the user: counts, channels and why, size, what was ignored or skipped.</summary>
    public string Describe(ImageFolderOptions options)
    {
        var text = new StringBuilder($"{Images.Count} images of {Images.Width}x{Images.Height}");
        text.Append(Labels is null ? ", unlabelled" : $" in {ClassNames.Count} classes");
        string why = options.Color == ImageColor.Auto ? (FoundColour ? "some images have colour" : "every image is grey") : "as asked";
        text.Append($", {(Images.Channels == 3 ? "RGB" : "grey")} ({why}); transparency composited onto black");
        if (options.Size is { } size)
        {
            text.Append($"; each resized (shorter side {size}) and centre-cropped");
        }

        text.Append(IgnoredFiles > 0 ? $"; {IgnoredFiles} non-image file(s) ignored" : "");
        text.Append(Cache switch { CacheUse.Read => $"; decoded pixels read from {options.Cache}", CacheUse.Written => $"; decoded pixels cached in {options.Cache}", _ => "" });
        if (Skipped.Count > 0)
        {
            text.Append($"; {Skipped.Count} bad image(s) skipped: ");
            text.Append(string.Join(", ", Skipped.Take(10).Select(s => $"{s.File} {s.Problem}")));
            text.Append(Skipped.Count > 10 ? $" and {Skipped.Count - 10} more" : "");
        }

        return text.ToString();
    }
}

/// <summary>
/// Reads an image folder (<see cref="ImageFolderListing"/>) into pixels: decoded in parallel (<see cref="DecodedImage"/>),
/// grey or RGB as <see cref="ImageFolderOptions.Color"/> says or the images decide, all of one size or resized to one.
/// With a cache path, a folder whose fingerprint and options match the cache is not decoded again.
/// </summary>
public static class ImageFolder
{
    public static ImageFolderContents Read(string folder, ImageFolderOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= new ImageFolderOptions();
        ImageFolderListing listing = ImageFolderListing.Scan(folder);
        string fingerprint = FolderFingerprint.Of(listing, cancellation);
        string key = ImageFolderCache.Key(fingerprint, options);
        if (options.Cache is { } cache && ImageFolderCache.TryRead(cache, key) is { } cached)
        {
            return cached with { Fingerprint = fingerprint };
        }

        ImageFolderContents contents = Decode(listing, options, cancellation) with { Fingerprint = fingerprint };
        if (options.Cache is { } path)
        {
            ImageFolderCache.Write(path, key, contents);
            contents = contents with { Cache = CacheUse.Written };
        }

        return contents;
    }

    private static ImageFolderContents Decode(ImageFolderListing listing, ImageFolderOptions options, CancellationToken cancellation)
    {
        IReadOnlyList<string> files = listing.Files;
        var decoded = new DecodedImage?[files.Count];
        var problems = new string?[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { CancellationToken = cancellation }, i => (decoded[i], problems[i]) = DecodedImage.Decode(files[i], options.Size));
        int bad = Array.FindIndex(problems, p => p is not null);
        if (bad >= 0 && !options.SkipBadImages)
        {
            throw new DataFormatException(files[bad], problems[bad]!);
        }

        int[] kept = [.. Enumerable.Range(0, files.Count).Where(i => decoded[i] is not null)];
        SkippedImage[] skipped = [.. Enumerable.Range(0, files.Count).Where(i => decoded[i] is null).Select(i => new SkippedImage(files[i], problems[i]!))];
        if (listing.Labels is { } all && Enumerable.Range(0, listing.ClassNames.Count).FirstOrDefault(c => !kept.Any(i => all[i] == c), -1) is >= 0 and int emptied)
        {
            throw new DataFormatException(Path.Combine(listing.Folder, listing.ClassNames[emptied]), "has no decodable image left after skipping the bad ones");
        }

        if (kept.Length < 2)
        {
            throw new DataFormatException(listing.Folder, $"holds {kept.Length} decodable image(s); a data set needs at least 2");
        }

        DecodedImage first = decoded[kept[0]]!;
        int other = kept.FirstOrDefault(i => decoded[i]!.Width != first.Width || decoded[i]!.Height != first.Height, -1);
        if (other >= 0)
        {
            throw new DataFormatException(files[other], $"is {decoded[other]!.Width}x{decoded[other]!.Height}, but {Path.GetFileName(files[kept[0]])} is {first.Width}x{first.Height}; images must share one size unless an image size is given to resize them to");
        }

        bool colour = kept.Any(i => !decoded[i]!.IsGrey);
        int channels = options.Color switch { ImageColor.Grey => 1, ImageColor.Rgb => 3, _ => colour ? 3 : 1 };
        int size = channels * first.Width * first.Height;
        var pixels = new byte[(long)kept.Length * size];
        Parallel.For(0, kept.Length, k => decoded[kept[k]]!.CopyTo(pixels.AsSpan(k * size, size), channels));
        var images = new ImagePixels(kept.Length, first.Height, first.Width, pixels) { Channels = channels };
        byte[]? labels = listing.Labels is { } l ? [.. kept.Select(i => l[i])] : null;
        return new ImageFolderContents(images, labels, listing.ClassNames, listing.IgnoredFiles) { Skipped = skipped, FoundColour = colour };
    }
}

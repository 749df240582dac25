namespace FlowMatching.Io;

/// <summary>
/// How an image folder is read: its channels, an optional square size (the shorter side resized to it, then the
/// centre cropped, as torchvision's Resize + CenterCrop), and whether undecodable images are skipped (and listed)
/// rather than refused;
/// optionally cached.
/// </summary>
public sealed record ImageFolderOptions(ImageColor Color = ImageColor.Auto, int? Size = null, bool SkipBadImages = false)
{
    public const int MinSize = 4;
    public const int MaxSize = 1024;

    /// <summary>Where the decoded pixels are kept for later runs; null: nowhere. Does not change what is read.</summary>
    public string? Cache { get; init; }
}

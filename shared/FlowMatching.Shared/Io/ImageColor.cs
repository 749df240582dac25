namespace FlowMatching.Io;

/// <summary>The channels an image folder is read into.</summary>
public enum ImageColor
{
    /// <summary>Grey when every image is grey, else RGB.</summary>
    Auto,
    /// <summary>One channel: colour images are reduced to their luma (ITU-R 601, as PIL's convert("L")).</summary>
    Grey,
    /// <summary>Three channels: grey images repeat their one value.</summary>
    Rgb,
}

public static class ImageColors
{
    public static NameTable<ImageColor> Names { get; } = NameTable<ImageColor>.Lowercase();
}

namespace FlowMatching.Randomness;

/// <summary>Stream identifiers, one per purpose, so that draws for different purposes never overlap.</summary>
public static class Streams
{
    public const ulong BaseSamples = 1;
    public const ulong TargetSamples = 2;
    public const ulong Times = 3;
    public const ulong SdeNoise = 4;
    public const ulong Evaluation = 6;
    public const ulong Probes = 7;
    public const ulong LabelDropout = 8;
    public const ulong ReflowNoise = 9;
    public const ulong TimeGridPilot = 10;
    public const ulong Flips = 11;
    public const ulong FolderOrder = 12;
    public const ulong ShortcutLevels = 13;
    public const ulong ShortcutTimes = 14;

    /// <summary>A stream owned by one sample, so sample i draws the same numbers whatever batch it is in.</summary>
    public static ulong ForSample(ulong purpose, long sampleIndex) => (purpose << 48) ^ (ulong)sampleIndex;
}

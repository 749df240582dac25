using FlowMatching.Cli;
using FlowMatching.Io;
using FlowMatching.Progress;
using FlowMatching.Runtime.Cli.Figures;
using FlowMatching.Runtime.Images;
using FlowMatching.Runtime.Options;
using FlowMatching.Runtime.Sampling;

namespace FlowMatching.Runtime.Cli;

/// <summary>
/// `flowmatch sample` on an image model: the images as NumPy's .npy (float32 [N, C, H, W] in the data's range),
/// the class each was drawn for in NAME.labels.npy (int64 [N]) for conditional runs, and a PNG grid of the
/// first images (a row per class) in NAME.png.
/// </summary>
public static class ImageSampling
{
    /// <summary>The files an image run writes for --out NAME.npy or NAME.png: NAME.npy, NAME.labels.npy and NAME.png.</summary>
    public static IEnumerable<string> Companions(string output) => Stem(output) is { } stem ? [$"{stem}.npy", $"{stem}.labels.npy", $"{stem}.png"] : [];

    // NAME for NAME.npy or NAME.png, the two names an image run's --out may take.
    private static string? Stem(string output) =>
        output.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) || output.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? output[..^4] : null;

    /// <summary>
    /// The starting images of --init: float32 or float64 [N, C, H, W] matching the model, in its units (N(0, I) is the
    /// base), every value finite.
    /// </summary>
    public static float[] ReadInit(string path, FlowModel model)
    {
        string expected = $"[N, {string.Join(", ", model.SampleShape)}]";
        if (!path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            throw new UserInputException($"--init {path}: image models start from a NumPy array (float32 or float64 {expected}); name it NAME.npy");
        }

        (long[] shape, float[] values) = NpyFile.ReadFloats(path);
        if (shape.Length != 4 || shape[0] == 0 || !shape[1..].SequenceEqual(model.SampleShape.Select(s => (long)s)))
        {
            throw new UserInputException($"--init {path}: shape [{string.Join(", ", shape)}] does not match the model's images {expected}");
        }

        int bad = Array.FindIndex(values, v => !float.IsFinite(v));
        return bad < 0 ? values : throw new UserInputException($"--init {path}: value {values[bad]} in image {bad / model.Dimension} (element {bad % model.Dimension}); starting images must be finite");
    }

    /// <summary>The run's count as the starting images or the labels set it (they override --n), which must agree.</summary>
    public static SampleRun Counted(SampleRun run, float[]? initial, SamplingOptions options, FlowModel model)
    {
        long? images = initial is null ? null : initial.Length / model.Dimension;
        long? labels = options.Conditioning?.Classes is ListedClasses listed ? listed.Labels.Count : null;
        if (images is { } i && labels is { } l && i != l)
        {
            throw new UserInputException($"--labels: {l} classes for the {i} starting images of --init; give one class per image");
        }

        return (images ?? labels) is { } count ? run with { Count = count } : run;
    }

    public static int Run(FlowModel model, SamplingOptions options, SampleRun run, float[]? initial, string name, CancellationToken cancellation)
    {
        (long count, long first, long seed, string requested, bool force) = run;
        string stem = Stem(requested)
            ?? throw new UserInputException($"--out {requested}: image samples are written as NumPy .npy (float32 [N, C, H, W]) with a PNG grid beside; name either (NAME.npy or NAME.png)");
        string output = $"{stem}.npy";
        long[] shape = [count, .. model.SampleShape.Select(s => (long)s)];
        bool conditional = options.Conditioning is { Classes: var c } && c != ClassSelection.None;
        // An earlier conditional run's classes beside these unconditional samples would be paired with them by evaluate.
        string staleLabels = $"{stem}.labels.npy";
        if (!conditional && File.Exists(staleLabels) && !force)
        {
            throw new UserInputException($"{staleLabels}: already exists, and evaluate would pair it with these unconditional samples; pass --force to remove it, or write elsewhere");
        }

        using NpyFile images = NpyFile.CreateFloat32(output, shape, force);
        using NpyFile? labels = conditional ? NpyFile.CreateInt64($"{stem}.labels.npy", [count], force) : null;
        var shown = new List<float>();
        var shownClasses = new List<long>();
        int evaluations = 0;
        ProgressReporter.Run("sample", count, progress =>
        {
            long done = 0;
            // Image chunks take minutes: progress moves with each chunk's time t, not only at its end.
            PathObserver alongTime = (_, _, t, x) => progress.Report(new WorkProgress(done + (long)(x.Length / model.Dimension * t), count, name));
            IEnumerable<SampleChunk> chunks = initial is null
                ? model.SampleChunks(count, options, seed, first, alongTime, cancellation)
                : model.TransportChunks(initial, options, seed, first, alongTime, cancellation);
            foreach (SampleChunk chunk in chunks)
            {
                images.Write(chunk.Points);
                labels?.Write(chunk.Classes);
                int keep = (int)Math.Min(chunk.Count, Math.Max(0, ImageGrid.MaxImages - done));
                shown.AddRange(chunk.Points.AsSpan(0, keep * model.Dimension));
                shownClasses.AddRange(chunk.Classes?.Take(keep) ?? []);
                evaluations = Math.Max(evaluations, chunk.Evaluations);
                done += chunk.Count;
                progress.Report(new WorkProgress(done, count, name));
            }
        });
        (double, double) range = model.Contract?.ValueRange is [var low, var high] ? (low, high) : (-1, 1);
        ImageGrid.Save($"{stem}.png", [.. shown], model.SampleShape, conditional ? [.. shownClasses] : null, range, force, classNames: model.Contract?.ClassNames);
        images.Commit();
        labels?.Commit();
        if (!conditional)
        {
            File.Delete(staleLabels);
        }

        Console.Error.WriteLine($"{RuntimeCommands.Name}: wrote {count} images to {output} (float32 in the data's units, not clipped to [{range.Item1}, {range.Item2}])" +
            $"{(conditional ? $", their classes to {stem}.labels.npy" : "")} and a grid to {stem}.png ({name}, NFE {evaluations} per image)");
        return 0;
    }
}

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
    /// <summary>The files written beside NAME.npy: NAME.labels.npy and NAME.png.</summary>
    public static IEnumerable<string> Companions(string output) =>
        output.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) ? [$"{output[..^".npy".Length]}.labels.npy", $"{output[..^".npy".Length]}.png"] : [];

    public static int Run(FlowModel model, SamplingOptions options, SampleRun run, string name, CancellationToken cancellation)
    {
        (long count, long first, long seed, string output, bool force) = run;
        if (!output.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            throw new UserInputException($"--out {output}: image samples are written as NumPy .npy (float32 [N, C, H, W]); a CSV row per image would be {model.Dimension} columns wide");
        }

        long[] shape = [count, .. model.SampleShape.Select(s => (long)s)];
        string stem = output[..^".npy".Length];
        bool conditional = options.Conditioning is { Classes: var c } && c != ClassSelection.None;
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
            foreach (SampleChunk chunk in model.SampleChunks(count, options, seed, first, alongTime, cancellation))
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
        ImageGrid.Save($"{stem}.png", [.. shown], model.SampleShape, conditional ? [.. shownClasses] : null, range, force);
        images.Commit();
        labels?.Commit();
        Console.Error.WriteLine($"{RuntimeCommands.Name}: wrote {count} images to {output}{(conditional ? $", their classes to {stem}.labels.npy" : "")} and a grid to {stem}.png ({name}, NFE {evaluations} per image)");
        return 0;
    }
}

using FlowMatching.Cli;
using FlowMatching.Io;
using FlowMatching.Progress;
using FlowMatching.Runtime.Options;
using FlowMatching.Runtime.Sampling;

namespace FlowMatching.Runtime.Cli;

/// <summary>`flowmatch sample` on a point model: the samples as CSV (or standard output), the paths of the first ones if asked.</summary>
public static class PointSampling
{
    public static int Run(FlowModel model, SamplingOptions options, SampleRun run, PointPaths paths, string name, CancellationToken cancellation)
    {
        int d = model.Dimension;
        PointSet? initial = paths.Init is null ? null : ReadInit(paths.Init, d);
        long count = initial?.Count ?? run.Count;
        if (run.Output.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            throw new UserInputException($"--out {run.Output}: a point model's samples are written as CSV (or .npy); draw them with 'plot samples'");
        }

        // The format follows the name: NAME.npy is float32 [N, d], anything else CSV (- for standard output).
        bool npy = run.Output.EndsWith(".npy", StringComparison.OrdinalIgnoreCase);
        using NpyFile? array = npy ? NpyFile.CreateFloat32(run.Output, [count, d], run.Force) : null;
        using CsvTableWriter? writer = npy ? null : run.Output == "-"
            ? CsvTableWriter.ToStream(Console.OpenStandardOutput(), "standard output", PointCsv.Header(d))
            : new CsvTableWriter(run.Output, PointCsv.Header(d), run.Force);
        using CsvTableWriter? trajectories = paths.Trajectory is { } trajectoryPath
            ? new CsvTableWriter(trajectoryPath, TrajectoryRecorder.Header(d), run.Force)
            : null;
        var recorder = trajectories is null ? null : new TrajectoryRecorder(trajectories, run.First, paths.TrajectoryCount, d, model.Scaling);
        PathObserver? observer = recorder is null ? null : (chunkFirst, step, t, x) => recorder.Record(step, t, x, chunkFirst);
        IEnumerable<SampleChunk> chunks = initial is null
            ? model.SampleChunks(count, options, run.Seed, run.First, observer, cancellation)
            : model.TransportChunks(initial.Values, options, run.Seed, run.First, observer, cancellation);
        int evaluations = 0;
        ProgressReporter.Run("sample", count, progress =>
        {
            long done = 0;
            foreach (SampleChunk result in chunks)
            {
                if (array is null)
                {
                    writer!.WriteRows(result.Points, d);
                }
                else
                {
                    array.Write(result.Points);
                }

                evaluations = Math.Max(evaluations, result.Evaluations);
                done += result.Count;
                progress.Report(new WorkProgress(done, count, name));
            }
        });
        writer?.Commit();
        array?.Commit();
        trajectories?.Commit();
        Console.Error.WriteLine($"{RuntimeCommands.Name}: wrote {count} samples to {writer?.Path ?? array!.Path} ({name}, NFE {evaluations} per point)");
        return 0;
    }

    // Starting points as CSV (d columns) or NumPy (float32 or float64 [N, d]), every value finite.
    private static PointSet ReadInit(string path, int d)
    {
        if (!path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            return PointCsv.Read(path, d);
        }

        (long[] shape, float[] values) = NpyFile.ReadFloats(path);
        if (shape.Length != 2 || shape[0] == 0 || shape[1] != d)
        {
            throw new UserInputException($"--init {path}: shape [{string.Join(", ", shape)}] is not the model's points [N, {d}]");
        }

        int bad = Array.FindIndex(values, v => !float.IsFinite(v));
        return bad < 0 ? new PointSet(values, d) : throw new UserInputException($"--init {path}: value {values[bad]} at row {bad / d}, column {bad % d}; starting points must be finite");
    }
}

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
        PointSet? initial = paths.Init is null ? null : PointCsv.Read(paths.Init, d);
        long count = initial?.Count ?? run.Count;
        using CsvTableWriter writer = run.Output == "-"
            ? CsvTableWriter.ToStream(Console.OpenStandardOutput(), "standard output", PointCsv.Header(d))
            : new CsvTableWriter(run.Output, PointCsv.Header(d), run.Force);
        using CsvTableWriter? trajectories = paths.Trajectory is { } trajectoryPath
            ? new CsvTableWriter(trajectoryPath, TrajectoryRecorder.Header(d), run.Force)
            : null;
        var recorder = trajectories is null ? null : new TrajectoryRecorder(trajectories, run.First, paths.TrajectoryCount, d, model.Scaling);
        PathObserver? observer = recorder is null ? null : (chunkFirst, step, t, x) => recorder.Record(step, t, x, chunkFirst);
        IEnumerable<SampleChunk> chunks = initial is null
            ? model.SampleChunks(count, options, run.Seed, run.First, observer, cancellation)
            : ((VelocityModel)model).TransportChunks(initial.Values, options, run.Seed, run.First, observer, cancellation);
        int evaluations = 0;
        ProgressReporter.Run("sample", count, progress =>
        {
            long done = 0;
            foreach (SampleChunk result in chunks)
            {
                writer.WriteRows(result.Points, d);
                evaluations = Math.Max(evaluations, result.Evaluations);
                done += result.Count;
                progress.Report(new WorkProgress(done, count, name));
            }
        });
        writer.Commit();
        trajectories?.Commit();
        Console.Error.WriteLine($"{RuntimeCommands.Name}: wrote {count} samples to {writer.Path} ({name}, NFE {evaluations} per point)");
        return 0;
    }
}

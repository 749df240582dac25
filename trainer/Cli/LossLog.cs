using System.Globalization;
using FlowMatching.Errors;
using FlowMatching.Io;

namespace FlowMatching.Training.Cli;

/// <summary>
/// The --loss-csv file, written row by row as training goes and flushed after each row, so an interrupted or
/// diverged run keeps its history. A resumed run continues the same file from its checkpoint's step (rows
/// written after that checkpoint are dropped first), so one file holds the whole run, byte for byte what an
/// uninterrupted run writes.
/// </summary>
public sealed class LossLog : IDisposable
{
    public const string Header = "step,loss,lr,val_loss";

    private readonly StreamWriter _writer;

    private LossLog(string path, StreamWriter writer)
    {
        Path = path;
        _writer = writer;
    }

    public string Path { get; }

    /// <summary>A new log (refusing to replace an existing file unless <paramref name="overwrite"/>), or the continuation of one after <paramref name="resumeAfterStep"/>.</summary>
    public static LossLog Open(string path, bool overwrite, int? resumeAfterStep)
    {
        if (Directory.Exists(path))
        {
            throw new OutputFileException(path, "is a directory, not a file");
        }

        string[] kept = [Header];
        if (File.Exists(path))
        {
            if (resumeAfterStep is not { } step)
            {
                if (!overwrite)
                {
                    throw new OutputFileException(path, "already exists", exists: true);
                }
            }
            else
            {
                // A run killed outright may end in a cut line; that and every row after the checkpoint go.
                kept = [Header, .. File.ReadAllLines(path).Skip(1).TakeWhile(line => StepOf(line, path) is { } at && at <= step)];
            }
        }

        try
        {
            var writer = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read)) { NewLine = "\n" };
            foreach (string line in kept)
            {
                writer.WriteLine(line);
            }

            writer.Flush();
            return new LossLog(path, writer);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFileException(path, $"cannot write here ({e.Message})", inner: e);
        }
    }

    public void Write(TrainingStep step)
    {
        string validation = step.ValidationLoss is { } v ? PointCsv.Format(v) : "";
        _writer.WriteLine($"{step.Step.ToString(CultureInfo.InvariantCulture)},{PointCsv.Format(step.Loss)},{PointCsv.Format(step.LearningRate)},{validation}");
        _writer.Flush();
    }

    public void Dispose() => _writer.Dispose();

    private static int? StepOf(string line, string path)
    {
        string[] fields = line.Split(',');
        if (fields.Length != 4)
        {
            return null;
        }

        return int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int step)
            ? step
            : throw new DataFormatException(path, $"'{InputFile.Excerpt(line)}' is not a row of this trainer's loss log");
    }
}

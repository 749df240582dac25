using System.Globalization;
using FlowMatching.Distributions;
using FlowMatching.Io;

namespace FlowMatching.Runtime.Cli;

/// <summary>
/// Writes the paths X_t of the first <paramref name="count"/> samples of a run, one row per sample and
/// step (step 0 is the starting point): columns step,t,id,x0,...,x{d-1}, in the data's units when the
/// model was trained on standardised data.
/// </summary>
public sealed class TrajectoryRecorder(CsvTableWriter writer, long firstId, long count, int dimension, Standardization? scaling)
{
    public static IReadOnlyList<string> Header(int dimension) => ["step", "t", "id", .. PointCsv.Header(dimension)];

    private readonly float[] _row = new float[dimension];

    public void Record(int step, double t, ReadOnlySpan<float> points, long chunkFirstId)
    {
        int rows = points.Length / dimension;
        for (int i = 0; i < rows && chunkFirstId + i < firstId + count; i++)
        {
            string[] fields = new string[3 + dimension];
            fields[0] = step.ToString(CultureInfo.InvariantCulture);
            fields[1] = PointCsv.Format(t);
            fields[2] = (chunkFirstId + i).ToString(CultureInfo.InvariantCulture);
            points.Slice(i * dimension, dimension).CopyTo(_row);
            scaling?.Invert(_row);
            for (int j = 0; j < dimension; j++)
            {
                fields[3 + j] = PointCsv.Format(_row[j]);
            }

            writer.WriteRow(fields);
        }
    }
}

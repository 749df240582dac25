using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using FlowMatching.Errors;

namespace FlowMatching.Io;

/// <summary>
/// The product's CSV schema for points: header x0,x1,...,x{d-1}, one point a row, invariant culture,
/// shortest round-trip floats. Reading accepts a missing header.
/// </summary>
public static class PointCsv
{
    public static IReadOnlyList<string> Header(int dimension) =>
        Enumerable.Range(0, dimension).Select(j => $"x{j}").ToArray();

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads points, rejecting (with file and line) any row that is not <paramref name="dimension"/> finite
    /// numbers. With no dimension given, the first row fixes it.
    /// </summary>
    public static PointSet Read(string path, int? dimension = null)
    {
        InputFile.RequireReadable(path);

        var values = new List<float>();
        using var reader = new StreamReader(path);
        using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = false });
        bool first = true;
        int? d = dimension;
        long lastGoodLine = 0;
        try
        {
            while (parser.Read())
            {
                string[] record = parser.Record!;
                bool isHeader = first && !double.TryParse(record[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                    && !record[0].Trim().Equals("nan", StringComparison.OrdinalIgnoreCase);
                d ??= record.Length;
                if (record.Length != d)
                {
                    throw new DataFormatException(path, $"expected {d} columns, found {record.Length}", parser.RawRow);
                }

                first = false;
                if (isHeader)
                {
                    lastGoodLine = parser.RawRow;
                    continue;
                }

                foreach (string field in record)
                {
                    if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
                    {
                        throw new DataFormatException(path, $"'{InputFile.Excerpt(field)}' is not a finite number", parser.RawRow);
                    }

                    values.Add(v);
                }

                lastGoodLine = parser.RawRow;
            }
        }
        catch (CsvHelperException e)
        {
            // The parser fails where it gives up (often the end of the file); the broken record starts after the last good one.
            throw new DataFormatException(path, "malformed CSV (an unbalanced quote or a bad field)", lastGoodLine + 1, e);
        }

        if (values.Count == 0)
        {
            throw new DataFormatException(path, "holds no points");
        }

        return new PointSet(values.ToArray(), d!.Value);
    }

    public static void Write(string path, PointSet points, bool overwrite)
    {
        using var writer = new CsvTableWriter(path, Header(points.Dimension), overwrite);
        writer.WriteRows(points.Values, points.Dimension);
        writer.Commit();
    }
}

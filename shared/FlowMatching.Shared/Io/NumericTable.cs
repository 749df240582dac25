using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using FlowMatching.Errors;

namespace FlowMatching.Io;

/// <summary>
/// A CSV file with a header and numeric columns (loss logs, trajectories, sweeps). Empty fields read as NaN;
/// anything else that is not a number is an error naming the file and line, in the columns a reader names (every
/// column when it names none); other columns may hold text (a sweep's guidance interval), read as NaN.
/// </summary>
public sealed record NumericTable(IReadOnlyList<string> Columns, IReadOnlyList<double[]> Rows)
{
    public int Column(string name, string source)
    {
        int index = Columns.ToList().IndexOf(name);
        return index >= 0 ? index : throw new DataFormatException(source, $"has no '{name}' column (columns: {string.Join(",", Columns)})");
    }

    public static NumericTable Read(string path, params string[] requiredColumns)
    {
        InputFile.RequireReadable(path);

        using var reader = new StreamReader(path);
        using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = false });
        string[]? header = null;
        bool[] strict = [];
        var rows = new List<double[]>();
        try
        {
            while (parser.Read())
            {
                string[] record = parser.Record!;
                if (header is null)
                {
                    header = record.Select(c => c.Trim()).ToArray();
                    var named = new NumericTable(header, []);
                    strict = requiredColumns.Length == 0 ? [.. header.Select(_ => true)] : new bool[header.Length];
                    foreach (string column in requiredColumns)
                    {
                        strict[named.Column(column, path)] = true;
                    }

                    continue;
                }

                if (record.Length != header.Length)
                {
                    throw new DataFormatException(path, $"expected {header.Length} columns, found {record.Length}", parser.RawRow);
                }

                rows.Add(record.Select((field, column) => field.Length == 0
                    ? double.NaN
                    : double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
                        ? v
                        : strict[column]
                            ? throw new DataFormatException(path, $"'{InputFile.Excerpt(field)}' is not a finite number", parser.RawRow)
                            : double.NaN).ToArray());
            }
        }
        catch (CsvHelperException e)
        {
            throw new DataFormatException(path, "malformed CSV (an unbalanced quote or a bad field)", parser.RawRow, e);
        }

        if (header is null || rows.Count == 0)
        {
            throw new DataFormatException(path, "holds no rows");
        }

        return new NumericTable(header, rows);
    }
}

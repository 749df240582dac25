using System.Globalization;
using CsvHelper;

namespace FlowMatching.Io;

/// <summary>A CSV table written row by row into an <see cref="AtomicFile"/>: nothing appears at the path until <see cref="Commit"/>.</summary>
public sealed class CsvTableWriter : IDisposable
{
    private readonly AtomicFile _file;
    private readonly StreamWriter _text;
    private readonly CsvWriter _csv;
    private bool _writersClosed;

    public CsvTableWriter(string path, IReadOnlyList<string> header, bool overwrite)
    {
        _file = AtomicFile.Create(path, overwrite);
        _text = new StreamWriter(_file.Stream, leaveOpen: true);
        _csv = new CsvWriter(_text, CultureInfo.InvariantCulture, leaveOpen: true);
        foreach (string column in header)
        {
            _csv.WriteField(column);
        }

        _csv.NextRecord();
    }

    public string Path => _file.Path;

    /// <summary>Writes row-major numbers, <paramref name="columns"/> a row.</summary>
    public void WriteRows(ReadOnlySpan<float> values, int columns)
    {
        for (int i = 0; i < values.Length; i++)
        {
            _csv.WriteField(PointCsv.Format(values[i]));
            if ((i + 1) % columns == 0)
            {
                _csv.NextRecord();
            }
        }
    }

    public void WriteRow(params ReadOnlySpan<string> fields)
    {
        foreach (string field in fields)
        {
            _csv.WriteField(field);
        }

        _csv.NextRecord();
    }

    public void Commit()
    {
        CloseWriters();
        _file.Commit();
    }

    public void Dispose()
    {
        CloseWriters();
        _file.Dispose();
    }

    // A StreamWriter flushes on every Dispose, so close the writers once, before the file is renamed.
    private void CloseWriters()
    {
        if (_writersClosed)
        {
            return;
        }

        _writersClosed = true;
        _csv.Dispose();
        _text.Dispose();
    }
}

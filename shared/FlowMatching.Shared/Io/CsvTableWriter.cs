using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using FlowMatching.Errors;

namespace FlowMatching.Io;

/// <summary>
/// A CSV table written row by row into an <see cref="AtomicFile"/>: nothing appears at the path until
/// <see cref="Commit"/>; or into a stream the caller owns (standard output, for pipes). Lines end in \n, as
/// numpy, pandas and the shell tools expect.
/// </summary>
public sealed class CsvTableWriter : IDisposable
{
    private readonly AtomicFile? _file;
    private readonly StreamWriter _text;
    private readonly CsvWriter _csv;
    private bool _writersClosed;

    public CsvTableWriter(string path, IReadOnlyList<string> header, bool overwrite)
        : this(path, AtomicFile.Create(path, overwrite), null, header)
    {
    }

    private CsvTableWriter(string path, AtomicFile? file, Stream? stream, IReadOnlyList<string> header)
    {
        Path = path;
        _file = file;
        stream ??= file!.Stream;
        _text = new StreamWriter(stream, leaveOpen: true);
        _csv = new CsvWriter(_text, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" }, leaveOpen: true);
        Guard(() =>
        {
            foreach (string column in header)
            {
                _csv.WriteField(column);
            }

            _csv.NextRecord();
        });
    }

    public string Path { get; }

    /// <summary>Rows straight into <paramref name="stream"/> (left open), named <paramref name="name"/> in errors.</summary>
    public static CsvTableWriter ToStream(Stream stream, string name, IReadOnlyList<string> header) => new(name, null, stream, header);

    /// <summary>Writes row-major numbers, <paramref name="columns"/> a row.</summary>
    public void WriteRows(float[] values, int columns) => Guard(() =>
    {
        for (int i = 0; i < values.Length; i++)
        {
            _csv.WriteField(PointCsv.Format(values[i]));
            if ((i + 1) % columns == 0)
            {
                _csv.NextRecord();
            }
        }
    });

    public void WriteRow(params string[] fields) => Guard(() =>
    {
        foreach (string field in fields)
        {
            _csv.WriteField(field);
        }

        _csv.NextRecord();
    });

    public void Commit()
    {
        Guard(CloseWriters);
        _file?.Commit();
    }

    public void Dispose()
    {
        try
        {
            CloseWriters();
        }
        catch (IOException) when (_file is not null)
        {
            // The rows that could not be flushed belong to a temporary file that is removed next.
        }

        _file?.Dispose();
    }

    private void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (IOException e)
        {
            throw _file?.Failed(e) ?? new OutputFileException(Path, $"could not be written ({e.Message})", inner: e);
        }
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

using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using FlowMatching.Errors;

namespace FlowMatching.Io;

/// <summary>
/// NumPy's .npy format, version 1.0: the magic \x93NUMPY, a little-endian header length, a Python dict
/// literal with the dtype, order and shape, padded with spaces to 64 bytes, then the little-endian data.
/// numpy reads it with np.load. Written atomically, element by element as the samples come.
/// </summary>
public sealed partial class NpyFile : IDisposable
{
    // The magic's first byte is 0x93, which a UTF-8 string literal would write as two bytes.
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    private readonly AtomicFile _file;
    private readonly long _expected;
    private long _written;

    private NpyFile(AtomicFile file, long expected)
    {
        _file = file;
        _expected = expected;
    }

    public string Path => _file.Path;

    /// <summary>A float32 array of the given shape (C order).</summary>
    public static NpyFile CreateFloat32(string path, IReadOnlyList<long> shape, bool overwrite) => Create(path, "<f4", shape, overwrite);

    /// <summary>An int64 array of the given shape (C order).</summary>
    public static NpyFile CreateInt64(string path, IReadOnlyList<long> shape, bool overwrite) => Create(path, "<i8", shape, overwrite);

    /// <summary>Writes a whole float32 array of the given shape at once (atomically: all of it or nothing).</summary>
    public static void Save(string path, IReadOnlyList<long> shape, ReadOnlySpan<float> values, bool overwrite)
    {
        using NpyFile file = CreateFloat32(path, shape, overwrite);
        file.Write(values);
        file.Commit();
    }

    public void Write(ReadOnlySpan<float> values) => Append(MemoryMarshal.AsBytes(values), values.Length);

    public void Write(ReadOnlySpan<long> values) => Append(MemoryMarshal.AsBytes(values), values.Length);

    public void Commit()
    {
        if (_written != _expected)
        {
            throw new InvalidOperationException($"{Path}: {_written} of {_expected} elements written");
        }

        _file.Commit();
    }

    public void Dispose() => _file.Dispose();

    /// <summary>Reads a float32 .npy file: its shape and its values.</summary>
    public static (long[] Shape, float[] Values) ReadFloat32(string path)
    {
        (long[] shape, byte[] data) = Read(path, "<f4");
        return (shape, MemoryMarshal.Cast<byte, float>(data).ToArray());
    }

    /// <summary>Reads an int64 .npy file: its shape and its values.</summary>
    public static (long[] Shape, long[] Values) ReadInt64(string path)
    {
        (long[] shape, byte[] data) = Read(path, "<i8");
        return (shape, MemoryMarshal.Cast<byte, long>(data).ToArray());
    }

    private static NpyFile Create(string path, string descr, IReadOnlyList<long> shape, bool overwrite)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException(".npy output is written little-endian");
        }

        string dims = shape.Count == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
        int unpadded = 10 + dict.Length + 1;
        string header = dict + new string(' ', (64 - unpadded % 64) % 64) + "\n";
        var file = AtomicFile.Create(path, overwrite);
        try
        {
            var prefix = new byte[10];
            Magic.CopyTo(prefix, 0);
            prefix[6] = 1;
            prefix[7] = 0;
            BitConverter.TryWriteBytes(prefix.AsSpan(8), (ushort)header.Length);
            file.Write(prefix);
            file.Write(Encoding.ASCII.GetBytes(header));
            return new NpyFile(file, shape.Aggregate(1L, (a, b) => a * b));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private void Append(ReadOnlySpan<byte> bytes, int count)
    {
        _file.Write(bytes);
        _written += count;
    }

    private static (long[] Shape, byte[] Data) Read(string path, string descr)
    {
        InputFile.RequireReadable(path);
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic) || bytes[6] != 1)
        {
            throw new DataFormatException(path, "is not a version 1 .npy file");
        }

        int headerLength = BitConverter.ToUInt16(bytes, 8);
        string header = Encoding.ASCII.GetString(bytes, 10, Math.Min(headerLength, bytes.Length - 10));
        Match match = HeaderPattern().Match(header);
        if (!match.Success || match.Groups["descr"].Value != descr || match.Groups["fortran"].Value != "False")
        {
            throw new DataFormatException(path, $"is not a C-ordered {descr} array (header: {header.Trim()})");
        }

        long[] shape = match.Groups["shape"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        long size = shape.Aggregate(1L, (a, b) => a * b) * (descr == "<f4" ? 4 : 8);
        int start = 10 + headerLength;
        if (bytes.Length - start != size)
        {
            throw new DataFormatException(path, $"holds {bytes.Length - start} data bytes, its shape ({string.Join(", ", shape)}) needs {size}");
        }

        return (shape, bytes[start..]);
    }

    [GeneratedRegex(@"'descr':\s*'(?<descr>[^']*)',\s*'fortran_order':\s*(?<fortran>\w+),\s*'shape':\s*\((?<shape>[^)]*)\)")]
    private static partial Regex HeaderPattern();
}

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
public sealed class NpyFile : IDisposable
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
        (long[] shape, byte[] data, _) = Read(path, "<f4");
        return (shape, MemoryMarshal.Cast<byte, float>(data).ToArray());
    }

    /// <summary>Reads a float32 or float64 .npy file as float32 values (given noise, say, that NumPy drew as float64).</summary>
    public static (long[] Shape, float[] Values) ReadFloats(string path)
    {
        (long[] shape, byte[] data, string descr) = Read(path, "<f4", "<f8");
        return (shape, descr == "<f4"
            ? MemoryMarshal.Cast<byte, float>(data).ToArray()
            : [.. MemoryMarshal.Cast<byte, double>(data).ToArray().Select(v => (float)v)]);
    }

    /// <summary>Reads an int64 .npy file: its shape and its values.</summary>
    public static (long[] Shape, long[] Values) ReadInt64(string path)
    {
        (long[] shape, byte[] data, _) = Read(path, "<i8");
        return (shape, MemoryMarshal.Cast<byte, long>(data).ToArray());
    }

    /// <summary>Reads an int64 or int32 .npy file as int64 values (labels, which PyTorch and NumPy write either way).</summary>
    public static (long[] Shape, long[] Values) ReadIntegers(string path)
    {
        (long[] shape, byte[] data, string descr) = Read(path, "<i8", "<i4");
        return (shape, descr == "<i8"
            ? MemoryMarshal.Cast<byte, long>(data).ToArray()
            : [.. MemoryMarshal.Cast<byte, int>(data).ToArray().Select(v => (long)v)]);
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

    // The header in any form NumPy writes or reads: versions 1 to 3, its keys in any order, quotes of either kind,
    // spaces anywhere, Python 2's long integers (2L) in the shape.
    private static (long[] Shape, byte[] Data, string Descr) Read(string path, params string[] accepted)
    {
        InputFile.RequireReadable(path);
        long length = new FileInfo(path).Length;
        if (length > Array.MaxLength)
        {
            throw new DataFormatException(path, $"is {length >> 20} MB, more than the 2 GB one .npy read takes; split the samples across files by their index ranges");
        }

        byte[] bytes = File.ReadAllBytes(path);
        int version = bytes.Length >= 10 && bytes.AsSpan(0, 6).SequenceEqual(Magic) ? bytes[6] : 0;
        if (version is not (1 or 2 or 3) || (version > 1 && bytes.Length < 12))
        {
            throw new DataFormatException(path, "is not a .npy file (NumPy's format, versions 1 to 3)");
        }

        long headerLength = version == 1 ? BitConverter.ToUInt16(bytes, 8) : BitConverter.ToUInt32(bytes, 8);
        int prefix = version == 1 ? 10 : 12;
        if (prefix + headerLength > bytes.Length)
        {
            throw new DataFormatException(path, $"is truncated inside its header ({bytes.Length} bytes, the header promises {prefix + headerLength})");
        }

        string header = (version == 3 ? Encoding.UTF8 : Encoding.ASCII).GetString(bytes, prefix, (int)headerLength).Trim();
        string? found = Entry(header, "descr", @"['""](?<v>[^'""]*)['""]");
        string? fortran = Entry(header, "fortran_order", @"(?<v>True|False)");
        string? dims = Entry(header, "shape", @"\((?<v>[^)]*)\)");
        if (found is null || fortran is null || dims is null)
        {
            throw new DataFormatException(path, $"has a header without descr, fortran_order and shape: {header}");
        }

        if (!accepted.Contains(found) || fortran != "False")
        {
            string what = string.Join(" or ", accepted.Select(d => $"{TypeNames[d]} ('{d}')"));
            throw new DataFormatException(path, $"holds a {(fortran == "True" ? "Fortran-ordered " : "")}'{found}' array; expected C-ordered {what}");
        }

        long[] shape = Shape(dims, path);
        long size;
        try
        {
            size = checked(shape.Aggregate(1L, (a, b) => a * b) * (found[^1] - '0'));
        }
        catch (OverflowException)
        {
            throw new DataFormatException(path, $"has a shape ({string.Join(", ", shape)}) whose size overflows");
        }

        long start = prefix + headerLength;
        if (bytes.Length - start != size)
        {
            throw new DataFormatException(path, $"holds {bytes.Length - start} data bytes, its shape ({string.Join(", ", shape)}) needs {size}");
        }

        return (shape, bytes[(int)start..], found);
    }

    private static readonly Dictionary<string, string> TypeNames = new()
    {
        ["<f4"] = "float32",
        ["<f8"] = "float64",
        ["<i4"] = "int32",
        ["<i8"] = "int64",
    };

    private static string? Entry(string header, string key, string value)
    {
        Match match = Regex.Match(header, $@"['""]{key}['""]\s*:\s*{value}");
        return match.Success ? match.Groups["v"].Value : null;
    }

    private static long[] Shape(string dims, string path)
    {
        string[] parts = dims.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var shape = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i].TrimEnd('L', 'l');
            if (!long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
            {
                throw new DataFormatException(path, $"has a shape ({dims}) that is not whole numbers");
            }
        }

        return shape;
    }
}

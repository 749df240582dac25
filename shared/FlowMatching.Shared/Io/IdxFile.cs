using System.Buffers.Binary;
using System.IO.Compression;
using FlowMatching.Errors;

namespace FlowMatching.Io;

/// <summary>Images in the IDX format (MNIST, Fashion-MNIST): unsigned bytes, count x height x width.</summary>
public sealed record IdxImages(int Count, int Height, int Width, byte[] Pixels);

/// <summary>
/// Reads IDX files, gzip-compressed or not: a big-endian magic 0x00000803 (unsigned bytes, three dimensions)
/// for images or 0x00000801 (one dimension) for labels, the dimensions as big-endian int32, then the bytes.
/// Every problem names the file and what is wrong with it.
/// </summary>
public static class IdxFile
{
    private const int ImagesMagic = 0x00000803;
    private const int LabelsMagic = 0x00000801;

    public static IdxImages ReadImages(string path)
    {
        byte[] bytes = ReadAll(path);
        int[] dims = Header(bytes, path, ImagesMagic, "images (unsigned bytes, three dimensions)");
        if (dims[0] < 1 || dims[1] < 1 || dims[2] < 1 || dims[1] > 4096 || dims[2] > 4096)
        {
            throw new DataFormatException(path, $"holds {dims[0]} images of {dims[1]}x{dims[2]} pixels, which is not a usable image set");
        }

        long size = (long)dims[0] * dims[1] * dims[2];
        return new IdxImages(dims[0], dims[1], dims[2], Body(bytes, path, 16, size, "pixels"));
    }

    public static byte[] ReadLabels(string path)
    {
        byte[] bytes = ReadAll(path);
        int[] dims = Header(bytes, path, LabelsMagic, "labels (unsigned bytes, one dimension)");
        return Body(bytes, path, 8, dims[0], "labels");
    }

    /// <summary>Writes images or labels as IDX (uncompressed): what the tests build their fixtures with.</summary>
    public static byte[] Encode(IdxImages images)
    {
        var bytes = new byte[16 + images.Pixels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), images.Count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), images.Height);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), images.Width);
        images.Pixels.CopyTo(bytes, 16);
        return bytes;
    }

    public static byte[] Encode(byte[] labels)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), labels.Length);
        labels.CopyTo(bytes, 8);
        return bytes;
    }

    private static byte[] ReadAll(string path)
    {
        InputFile.RequireReadable(path);
        try
        {
            byte[] raw = File.ReadAllBytes(path);
            if (raw.Length < 2 || raw[0] != 0x1f || raw[1] != 0x8b)
            {
                return raw;
            }

            using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var inflated = new MemoryStream();
            gzip.CopyTo(inflated);
            return inflated.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, $"is a damaged gzip file ({e.Message})", inner: e);
        }
    }

    private static int[] Header(byte[] bytes, string path, int magic, string what)
    {
        int rank = magic & 0xff;
        if (bytes.Length < 4 + 4 * rank)
        {
            throw new DataFormatException(path, $"is too short for an IDX header ({bytes.Length} bytes)");
        }

        int found = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (found != magic)
        {
            throw new DataFormatException(path, $"has the magic number 0x{found:x8}, not 0x{magic:x8} of IDX {what}");
        }

        return Enumerable.Range(0, rank).Select(i => BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i))).ToArray();
    }

    private static byte[] Body(byte[] bytes, string path, int offset, long size, string what)
    {
        if (bytes.Length - offset < size)
        {
            throw new DataFormatException(path, $"is truncated: its header promises {size} {what}, the file holds {bytes.Length - offset}");
        }

        return bytes.AsSpan(offset, (int)size).ToArray();
    }
}

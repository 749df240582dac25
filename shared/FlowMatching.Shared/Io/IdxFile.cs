using System.Buffers.Binary;
using System.IO.Compression;
using FlowMatching.Errors;

namespace FlowMatching.Io;

/// <summary>
/// Reads IDX files, gzip-compressed or not: a big-endian magic 0x00000803 (unsigned bytes, three dimensions)
/// for images or 0x00000801 (one dimension) for labels, the dimensions as big-endian int32, then the bytes.
/// Every problem names the file and what is wrong with it.
/// </summary>
public static class IdxFile
{
    private const int ImagesMagic = 0x00000803;
    private const int LabelsMagic = 0x00000801;

    // A gzip inflates to at most what its header promises, and that to at most this: 20 times Fashion-MNIST's training
    // images. A decompression bomb is refused before its bytes are inflated.
    public const long MaxBytes = 1L << 30;

    public static ImagePixels ReadImages(string path) => Read(path, stream =>
    {
        int[] dims = Header(stream, path, ImagesMagic, "images (unsigned bytes, three dimensions)");
        if (dims[0] < 1 || dims[1] < 1 || dims[2] < 1 || dims[1] > 4096 || dims[2] > 4096)
        {
            throw new DataFormatException(path, $"holds {dims[0]} images of {dims[1]}x{dims[2]} pixels, which is not a usable image set");
        }

        return new ImagePixels(dims[0], dims[1], dims[2], Body(stream, path, (long)dims[0] * dims[1] * dims[2], "pixels"));
    });

    public static byte[] ReadLabels(string path) => Read(path, stream =>
    {
        int[] dims = Header(stream, path, LabelsMagic, "labels (unsigned bytes, one dimension)");
        return dims[0] >= 1 ? Body(stream, path, dims[0], "labels") : throw new DataFormatException(path, $"holds {dims[0]} labels, which is not a usable label set");
    });

    /// <summary>Writes images or labels as IDX (uncompressed): what the tests build their fixtures with.</summary>
    public static byte[] Encode(ImagePixels images)
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

    // The file as it is, or inflated as it is read when it is gzip.
    private static T Read<T>(string path, Func<Stream, T> read)
    {
        InputFile.RequireReadable(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        bool gzip = file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
        file.Position = 0;
        try
        {
            using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : file;
            return read(stream);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, $"is a damaged gzip file ({e.Message})", inner: e);
        }
    }

    private static int[] Header(Stream stream, string path, int magic, string what)
    {
        int rank = magic & 0xff;
        var bytes = new byte[4 + 4 * rank];
        int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (read < bytes.Length)
        {
            throw new DataFormatException(path, $"is too short for an IDX header ({read} bytes)");
        }

        int found = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (found != magic)
        {
            throw new DataFormatException(path, $"has the magic number 0x{found:x8}, not 0x{magic:x8} of IDX {what}");
        }

        return Enumerable.Range(0, rank).Select(i => BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i))).ToArray();
    }

    private static byte[] Body(Stream stream, string path, long size, string what)
    {
        if (size > MaxBytes)
        {
            throw new DataFormatException(path, $"promises {size} {what}, more than the {MaxBytes >> 30} GiB this reader takes");
        }

        var bytes = new byte[size];
        int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        return read == size ? bytes : throw new DataFormatException(path, $"is truncated: its header promises {size} {what}, the file holds {read}");
    }
}

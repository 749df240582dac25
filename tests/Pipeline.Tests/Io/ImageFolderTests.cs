using FlowMatching.Distributions;
using FlowMatching.Errors;
using FlowMatching.Io;
using SkiaSharp;

namespace FlowMatching.Tests;

/// <summary>folder:DIR, torchvision's ImageFolder convention: the same pixels as IDX, colour kept, bad files named.</summary>
[TestClass]
public sealed class ImageFolderTests
{
    [TestMethod]
    public void PngClassFoldersGiveTheIdenticalTensorAndLabelsAsTheSameImagesInIdx()
    {
        using var files = new TestFiles();
        (string images, string labels) = IdxTests.Fixture(files, count: 12);
        ImageDataset idx = ImageTargets.Load($"idx:{images},{labels}");
        string folder = files["set"];
        for (int i = 0; i < idx.Count; i++)
        {
            // Zero-padded names keep the folder's sorted order the IDX order within each class.
            byte[] grey = [.. idx.Image(i).ToArray().Select(p => (byte)Math.Round((p + 1) * 127.5))];
            Png(Path.Combine(folder, $"class-{idx.Labels![i]}", $"{i:D3}.png"), idx.Width, idx.Height, p => (grey[p], grey[p], grey[p], 255));
        }

        File.WriteAllText(Path.Combine(folder, "class-0", "notes.txt"), "not an image");
        ImageFolderContents contents = ImageFolder.Read(folder);
        ImageDataset fromFolder = ImageTargets.Load($"folder:{folder}");
        Assert.AreEqual(1, contents.IgnoredFiles);
        Assert.AreEqual(1, fromFolder.Channels);
        CollectionAssert.AreEqual(new[] { "class-0", "class-1", "class-2" }, fromFolder.ClassNames.ToArray());

        // The folder lists class by class; the IDX order regrouped the same way must match byte for byte, and the
        // training set, in its fixed shuffled order, holds the same images with the same labels.
        int[] order = [.. Enumerable.Range(0, idx.Count).OrderBy(i => idx.Labels![i]).ThenBy(i => i)];
        CollectionAssert.AreEqual(order.Select(i => idx.Labels![i]).ToArray(), contents.Labels);
        Assert.AreEqual(idx.Count, fromFolder.Count);
        string Item(ImageDataset set, int i) => $"{set.Labels![i]}:{string.Join(",", set.Image(i).ToArray())}";
        CollectionAssert.AreEqual(Enumerable.Range(0, idx.Count).Select(i => Item(idx, i)).Order().ToArray(), Enumerable.Range(0, idx.Count).Select(i => Item(fromFolder, i)).Order().ToArray());
        for (int k = 0; k < order.Length; k++)
        {
            byte[] expected = [.. idx.Image(order[k]).ToArray().Select(p => (byte)Math.Round((p + 1) * 127.5))];
            CollectionAssert.AreEqual(expected, contents.Images.Pixels[(k * idx.Dimension)..((k + 1) * idx.Dimension)], $"image {k}");
        }

        CollectionAssert.AreNotEqual(contents.Labels, fromFolder.Labels, "the training split is shuffled");
    }

    [TestMethod]
    public void TheImagesCommandWritesAClassFolderThatReadsBackToTheSamePixels()
    {
        using var files = new TestFiles();
        (string images, string labels) = IdxTests.Fixture(files, count: 12);
        ImageDataset idx = ImageTargets.Load($"idx:{images},{labels}");
        var (code, error) = CommandLine.Trainer("images", "--target", $"idx:{images},{labels}", "--out", files["out"]);
        Assert.AreEqual(0, code, error);
        ImageFolderContents back = ImageFolder.Read(files["out"]);
        int[] order = [.. Enumerable.Range(0, idx.Count).OrderBy(i => idx.Labels![i]).ThenBy(i => i)];
        CollectionAssert.AreEqual(order.Select(i => idx.Labels![i]).ToArray(), back.Labels);
        for (int k = 0; k < order.Length; k++)
        {
            byte[] expected = [.. idx.Image(order[k]).ToArray().Select(p => (byte)Math.Round((p + 1) * 127.5))];
            CollectionAssert.AreEqual(expected, back.Images.Pixels[(k * idx.Dimension)..((k + 1) * idx.Dimension)], $"image {k}");
        }

        // Never into an existing folder, and nothing temporary left beside it.
        (code, error) = CommandLine.Trainer("images", "--target", $"idx:{images},{labels}", "--out", files["out"]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "out", "already exists");
        Assert.AreEqual(0, Directory.GetDirectories(files.Root, ".*").Length);
        Assert.AreEqual("T-shirt-top", ImageFolderWriter.FolderName("T-shirt/top"));
    }

    [TestMethod]
    public void ColourImagesAndAJpegKeepThreeChannelsAndTransparencyGoesToBlack()
    {
        using var files = new TestFiles();
        Png(files["colour/red.png"], 4, 4, _ => (255, 0, 0, 255));
        Png(files["colour/half.png"], 4, 4, _ => (0, 0, 255, 128));
        Encode(files["colour/grey.jpg"], 4, 4, _ => (90, 90, 90, 255), SKEncodedImageFormat.Jpeg);
        ImageFolderContents contents = ImageFolder.Read(files["colour"]);
        Assert.IsNull(contents.Labels);
        Assert.AreEqual(3, contents.Images.Channels);
        byte[] pixels = contents.Images.Pixels;
        // Sorted: grey.jpg, half.png, red.png; each [3, 4, 4].
        Assert.AreEqual(128, pixels[48 + 32], "half-transparent blue is half as bright over black");
        Assert.AreEqual(0, pixels[48]);
        Assert.AreEqual(255, pixels[96]);
        Assert.AreEqual(0, pixels[96 + 16]);
        Assert.IsTrue(Math.Abs(pixels[0] - 90) <= 3 && pixels[0] == pixels[16] && pixels[16] == pixels[32], $"grey JPEG read as {pixels[0]},{pixels[16]},{pixels[32]}");
    }

    [TestMethod]
    public void BadFoldersAndFilesAreNamedInOneLine()
    {
        using var files = new TestFiles();
        // Noisy pixels at size 32 keep a PNG's compressed data long enough to cut in the middle.
        void Two(string dir, int size = 4)
        {
            Png(Path.Combine(dir, "a", "1.png"), size, size, p => ((byte)(p * 37), (byte)(p * 11), (byte)(p * 5), 255));
            Png(Path.Combine(dir, "a", "2.png"), size, size, _ => (2, 2, 2, 255));
        }

        Two(files["corrupt"]);
        File.WriteAllBytes(files["corrupt/a/3.png"], [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3]);
        Two(files["truncated"], 32);
        byte[] whole = File.ReadAllBytes(files["truncated/a/1.png"]);
        File.WriteAllBytes(files["truncated/a/1.png"], whole[..(whole.Length * 2 / 3)]);
        Two(files["empty"]);
        Directory.CreateDirectory(files["empty/b"]);
        Png(files["one/x.png"], 4, 4, _ => (1, 1, 1, 255));
        Two(files["mixed"]);
        Png(files["mixed/a/3.png"], 5, 4, _ => (1, 1, 1, 255));
        Two(files["bomb"]);
        File.WriteAllBytes(files["bomb/a/3.png"], DeclaredPng(100_000, 100_000));
        Two(files["loop"]);
        Directory.CreateSymbolicLink(files["loop/b"], files["loop"]);

        (string Folder, string[] Mentions)[] cases =
        [
            ("corrupt", ["3.png", "not a decodable image"]),
            ("truncated", ["1.png", "truncated"]),
            ("empty", ["empty/b", "empty class folder"]),
            ("one", ["one", "at least 2"]),
            ("mixed", ["3.png", "5x4", "one size"]),
            ("bomb", ["3.png", "100000x100000", "before decoding"]),
            ("loop", ["loop/b", "loop"]),
            ("nowhere", ["nowhere", "no such folder"]),
        ];
        foreach ((string folder, string[] mentions) in cases)
        {
            var e = Assert.ThrowsExactly<DataFormatException>(() => ImageFolder.Read(files[folder]), folder);
            foreach (string mention in mentions)
            {
                StringAssert.Contains(e.Message, mention, $"{folder}: {e.Message}");
            }
        }

        var (code, error) = CommandLine.Trainer("train", "--target", $"folder:{files["bomb"]}", "--network", "unet", "--steps", "1", "--out", files["m.onnx"]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "3.png", "before decoding");
        Assert.IsFalse(File.Exists(files["m.onnx"]));
    }

    internal static void Png(string path, int width, int height, Func<int, (byte R, byte G, byte B, byte A)> pixel) =>
        Encode(path, width, height, pixel, SKEncodedImageFormat.Png);

    internal static void Encode(string path, int width, int height, Func<int, (byte R, byte G, byte B, byte A)> pixel, SKEncodedImageFormat format)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int p = 0; p < width * height; p++)
        {
            (byte r, byte g, byte b, byte a) = pixel(p);
            bitmap.SetPixel(p % width, p / width, new SKColor(r, g, b, a));
        }

        using SKData data = bitmap.Encode(format, 100);
        File.WriteAllBytes(path, data.ToArray());
    }

    // A PNG signature and an IHDR chunk declaring the size, with its CRC, and nothing else: a header to refuse.
    private static byte[] DeclaredPng(int width, int height)
    {
        byte[] header = [(byte)'I', (byte)'H', (byte)'D', (byte)'R', .. BigEndian(width), .. BigEndian(height), 8, 2, 0, 0, 0];
        byte[] data = [(byte)'I', (byte)'D', (byte)'A', (byte)'T', 0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
        byte[] end = [(byte)'I', (byte)'E', (byte)'N', (byte)'D'];
        return [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, .. Chunk(header), .. Chunk(data), .. Chunk(end)];
    }

    private static byte[] Chunk(byte[] typeAndData) => [.. BigEndian(typeAndData.Length - 4), .. typeAndData, .. BigEndian((int)Crc32(typeAndData))];

    private static byte[] BigEndian(int value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}

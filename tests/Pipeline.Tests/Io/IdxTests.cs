using System.IO.Compression;
using FlowMatching.Distributions;
using FlowMatching.Errors;
using FlowMatching.Io;
using FlowMatching.Randomness;

namespace FlowMatching.Tests;

/// <summary>IDX image sets, read from fixtures the tests build (the suite never needs the dataset package).</summary>
[TestClass]
public sealed class IdxTests
{
    public static (string Images, string Labels) Fixture(TestFiles files, int count = 12, int size = 8, bool gzip = true)
    {
        var pixels = new byte[count * size * size];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % 3);
            for (int p = 0; p < size * size; p++)
            {
                // Class c lights row c: a pattern a network can learn in a few steps.
                pixels[i * size * size + p] = (byte)(p / size == labels[i] ? 255 : (i * 7 + p) % 40);
            }
        }

        return (Write(files, "images.idx", IdxFile.Encode(new ImagePixels(count, size, size, pixels)), gzip), Write(files, "labels.idx", IdxFile.Encode(labels), gzip));
    }

    private static string Write(TestFiles files, string name, byte[] bytes, bool gzip)
    {
        if (!gzip)
        {
            File.WriteAllBytes(files[name], bytes);
            return files[name];
        }

        using (var file = File.Create(files[name + ".gz"]))
        using (var compressed = new GZipStream(file, CompressionLevel.Fastest))
        {
            compressed.Write(bytes);
        }

        return files[name + ".gz"];
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void ImagesAndLabelsRoundTripAndScaleToPlusMinusOne(bool gzip)
    {
        using var files = new TestFiles();
        (string images, string labels) = Fixture(files, gzip: gzip);
        ImageDataset data = ImageTargets.Load($"idx:{images},{labels}");
        Assert.AreEqual((12, 8, 8, 64), (data.Count, data.Height, data.Width, data.Dimension));
        CollectionAssert.AreEqual(new[] { "class 0", "class 1", "class 2" }, data.ClassNames.ToArray());
        Assert.AreEqual(2, data.Labels![5]);
        // Image 5 (class 2) has row 2 at 255 -> 1 and pixel 0 at (35 % 40) -> 35 / 127.5 - 1.
        Assert.AreEqual(1f, data.Image(5)[2 * 8 + 3], 1e-6f);
        Assert.AreEqual(35 / 127.5f - 1f, data.Image(5)[0], 1e-6f);
        var drawn = new float[3 * 64];
        var classes = new long[3];
        data.Sample(new RandomStream(1, 1), drawn, classes);
        for (int i = 0; i < 3; i++)
        {
            Assert.AreEqual(1f, drawn[i * 64 + (int)classes[i] * 8], 1e-6f, "each image comes with its own class");
        }
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(-3)]
    public void ALabelFileOfZeroOrNegativeCountIsRefused(int count)
    {
        using var files = new TestFiles();
        byte[] bytes = [0, 0, 8, 1, .. BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(count)), 1, 2];
        File.WriteAllBytes(files["labels.idx"], bytes);
        var e = Assert.ThrowsExactly<DataFormatException>(() => IdxFile.ReadLabels(files["labels.idx"]));
        StringAssert.Contains(e.Message, $"holds {count} labels");
    }

    [TestMethod]
    public void AGzipBombIsRefusedBeforeItIsInflated()
    {
        using var files = new TestFiles();
        // 60000 images of 4096x4096 promised: 1 TB, from a file of a few hundred bytes.
        byte[] header = [0, 0, 8, 3, .. new[] { 60000, 4096, 4096 }.SelectMany(d => BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(d)))];
        string bomb = Write(files, "bomb.idx", [.. header, .. new byte[100_000]], gzip: true);
        Assert.IsTrue(new FileInfo(bomb).Length < 2000);
        var e = Assert.ThrowsExactly<DataFormatException>(() => IdxFile.ReadImages(bomb));
        StringAssert.Contains(e.Message, "more than the 1 GiB");

        // A header that promises little, followed by a long tail: only what it promises is inflated.
        byte[] small = IdxFile.Encode(new ImagePixels(2, 2, 2, [1, 2, 3, 4, 5, 6, 7, 8]));
        string tail = Write(files, "tail.idx", [.. small, .. new byte[50_000_000]], gzip: true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        ImagePixels read = IdxFile.ReadImages(tail);
        Assert.IsTrue(GC.GetAllocatedBytesForCurrentThread() - before < 5_000_000, "the tail was inflated");
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, read.Pixels);
    }

    [TestMethod]
    public void FashionMnistLabelsOutsideItsTenClassesAreRefused()
    {
        using var files = new TestFiles();
        (string images, _) = Fixture(files, count: 12, size: 28);
        byte[] labels = [.. Enumerable.Range(0, 12).Select(i => (byte)(i == 7 ? 12 : i % 10))];
        string folder = Path.GetDirectoryName(images)!;
        File.Copy(images, Path.Combine(folder, "train-images-idx3-ubyte.gz"));
        Write(files, "train-labels-idx1-ubyte", IdxFile.Encode(labels), gzip: true);
        var e = Assert.ThrowsExactly<DataFormatException>(() => ImageTargets.Load(ImageTargets.FashionMnist, folder));
        StringAssert.Contains(e.Message, "train-labels-idx1-ubyte.gz");
        StringAssert.Contains(e.Message, "label 12");
    }

    [TestMethod]
    public void MalformedFilesNameTheFileAndWhatIsWrong()
    {
        using var files = new TestFiles();
        (string images, string labels) = Fixture(files, gzip: false);
        byte[] good = File.ReadAllBytes(images);
        (string Name, byte[] Bytes, string Says)[] cases =
        [
            ("magic.idx", [0, 0, 8, 1, .. good[4..]], "magic number 0x00000801"),
            ("short.idx", good[..10], "too short"),
            ("cut.idx", good[..(good.Length - 5)], "truncated"),
            ("empty-dims.idx", [.. good[..4], 0, 0, 0, 0, .. good[8..]], "not a usable image set"),
            ("gzip.idx", [0x1f, 0x8b, 1, 2, 3, 4, 5], "damaged gzip"),
        ];
        foreach (var (name, bytes, says) in cases)
        {
            File.WriteAllBytes(files[name], bytes);
            var e = Assert.ThrowsExactly<DataFormatException>(() => IdxFile.ReadImages(files[name]), name);
            StringAssert.Contains(e.Message, name);
            StringAssert.Contains(e.Message, says);
        }

        var wrongCount = Assert.ThrowsExactly<DataFormatException>(() => new ImageDataset("x", IdxFile.ReadImages(images), [1, 2], ["a", "b", "c"], labels));
        StringAssert.Contains(wrongCount.Message, "2 labels for 12 images");
        var missing = Assert.ThrowsExactly<DataFormatException>(() => ImageTargets.Load(ImageTargets.FashionMnist, files["nowhere"]));
        StringAssert.Contains(missing.Message, "apt-get install dataset-fashion-mnist");
    }

    [TestMethod]
    public void FashionMnistReadsWhereTheDebianPackageInstallsIt()
    {
        if (!File.Exists(Path.Combine(ImageTargets.FashionMnistFolder, "t10k-images-idx3-ubyte.gz")))
        {
            Assert.Inconclusive($"the dataset-fashion-mnist package is not installed ({ImageTargets.InstallCommand})");
        }

        ImageDataset test = ImageTargets.Load(ImageTargets.FashionMnist, test: true);
        Assert.AreEqual((10000, 28, 28), (test.Count, test.Height, test.Width));
        Assert.AreEqual(10, test.ClassNames.Count);
        Assert.AreEqual(1000, test.Labels!.Count(l => l == 9), "the test split has 1000 images of each class");
    }
}

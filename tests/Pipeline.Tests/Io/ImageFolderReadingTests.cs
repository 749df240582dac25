using FlowMatching.Distributions;
using FlowMatching.Errors;
using FlowMatching.Interpolants;
using FlowMatching.Io;
using FlowMatching.Training;
using FlowMatching.Training.Network;
using static FlowMatching.Tests.ImageFolderTests;

namespace FlowMatching.Tests;

/// <summary>How a folder is read: channels, size, skipped images, the cache, the held-out split, flips, U-Net levels.</summary>
[TestClass]
public sealed class ImageFolderReadingTests
{
    [TestMethod]
    public void ColourIsDecidedByTheImagesUnlessGreyOrRgbIsAsked()
    {
        using var files = new TestFiles();
        Png(files["mixed/red.png"], 2, 2, _ => (255, 0, 0, 255));
        Png(files["mixed/grey.png"], 2, 2, _ => (40, 40, 40, 255));
        Png(files["grey/a.png"], 2, 2, _ => (40, 40, 40, 255));
        Png(files["grey/b.png"], 2, 2, _ => (90, 90, 90, 255));

        ImageFolderContents auto = ImageFolder.Read(files["mixed"]);
        Assert.AreEqual(3, auto.Images.Channels);
        StringAssert.Contains(auto.Describe(new ImageFolderOptions()), "RGB (some images have colour)");
        ImageFolderContents grey = ImageFolder.Read(files["mixed"], new ImageFolderOptions(ImageColor.Grey));
        Assert.AreEqual(1, grey.Images.Channels);
        // Sorted: grey.png, red.png; pure red's luma is 0.299 * 255.
        CollectionAssert.AreEqual(new byte[] { 40, 40, 40, 40, 76, 76, 76, 76 }, grey.Images.Pixels);

        Assert.AreEqual(1, ImageFolder.Read(files["grey"]).Images.Channels);
        ImageFolderContents rgb = ImageFolder.Read(files["grey"], new ImageFolderOptions(ImageColor.Rgb));
        Assert.AreEqual(3, rgb.Images.Channels);
        CollectionAssert.AreEqual(Enumerable.Repeat((byte)40, 12).ToArray(), rgb.Images.Pixels[..12]);
    }

    [TestMethod]
    public void ImageSizeResizesTheShorterSideAndCropsTheCentreAsTorchvisionDoes()
    {
        using var files = new TestFiles();
        // 12x6: columns 0-2 black, 3-8 grey 200, 9-11 grey 100. Size 6 keeps the scale and crops columns 3 to 8.
        Png(files["set/wide.png"], 12, 6, p =>
        {
            byte v = p % 12 is >= 3 and <= 8 ? (byte)200 : p % 12 < 3 ? (byte)0 : (byte)100;
            return (v, v, v, 255);
        });
        // 4x8 uniform: the shorter side 4 -> 6 (the longer 12), then the centre 6x6.
        Png(files["set/tall.png"], 4, 8, _ => (120, 120, 120, 255));
        Png(files["set/square.png"], 6, 6, p => ((byte)p, (byte)p, (byte)p, 255));

        var e = Assert.ThrowsExactly<DataFormatException>(() => ImageFolder.Read(files["set"]));
        StringAssert.Contains(e.Message, "one size");
        ImageFolderContents read = ImageFolder.Read(files["set"], new ImageFolderOptions(Size: 6));
        Assert.AreEqual((3, 6, 6, 1), (read.Images.Count, read.Images.Height, read.Images.Width, read.Images.Channels));
        byte[] p = read.Images.Pixels;
        // Sorted: square, tall, wide. A square image of the size is not resampled.
        CollectionAssert.AreEqual(Enumerable.Range(0, 36).Select(i => (byte)i).ToArray(), p[..36]);
        Assert.IsTrue(p[36..72].All(v => Math.Abs(v - 120) <= 1), string.Join(",", p[36..72]));
        CollectionAssert.AreEqual(Enumerable.Repeat((byte)200, 36).ToArray(), p[72..]);
        StringAssert.Contains(read.Describe(new ImageFolderOptions(Size: 6)), "resized (shorter side 6) and centre-cropped");
    }

    [TestMethod]
    public void BadImagesAreSkippedAndListedWhenAskedAndAClassLeftEmptyIsRefused()
    {
        using var files = new TestFiles();
        Png(files["set/a/1.png"], 2, 2, _ => (1, 1, 1, 255));
        Png(files["set/a/2.png"], 2, 2, _ => (2, 2, 2, 255));
        File.WriteAllBytes(files["set/a/3.png"], [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2]);
        Png(files["set/b/1.png"], 2, 2, _ => (3, 3, 3, 255));
        File.CreateSymbolicLink(files["set/b/2.png"], files["nowhere.png"]);

        var e = Assert.ThrowsExactly<DataFormatException>(() => ImageFolder.Read(files["set"]));
        StringAssert.Contains(e.Message, "3.png");
        ImageFolderContents read = ImageFolder.Read(files["set"], new ImageFolderOptions(SkipBadImages: true));
        Assert.AreEqual(3, read.Images.Count);
        CollectionAssert.AreEqual(new byte[] { 0, 0, 1 }, read.Labels);
        CollectionAssert.AreEqual(new[] { "3.png", "2.png" }, read.Skipped.Select(s => Path.GetFileName(s.File)).ToArray());
        StringAssert.Contains(read.Skipped[1].Problem, "cannot be read", "a dangling link is an unreadable file");
        StringAssert.Contains(read.Describe(new ImageFolderOptions(SkipBadImages: true)), "2 bad image(s) skipped");

        File.Delete(files["set/b/1.png"]);
        File.WriteAllText(files["set/b/1.png"], "not a png");
        e = Assert.ThrowsExactly<DataFormatException>(() => ImageFolder.Read(files["set"], new ImageFolderOptions(SkipBadImages: true)));
        StringAssert.Contains(e.Message, "set/b");
        StringAssert.Contains(e.Message, "no decodable image left");
    }

    [TestMethod]
    public void TheCacheIsReadWhenTheFolderAndOptionsAreUnchangedAndRewrittenOtherwise()
    {
        using var files = new TestFiles();
        Png(files["set/a/1.png"], 3, 3, p => ((byte)(10 * p), 0, 0, 255));
        Png(files["set/b/1.png"], 3, 3, p => (0, (byte)(10 * p), 0, 255));
        var options = new ImageFolderOptions { Cache = files["set.images"] };

        ImageFolderContents first = ImageFolder.Read(files["set"], options);
        Assert.AreEqual(CacheUse.Written, first.Cache);
        ImageFolderContents again = ImageFolder.Read(files["set"], options);
        Assert.AreEqual(CacheUse.Read, again.Cache);
        CollectionAssert.AreEqual(first.Images.Pixels, again.Images.Pixels);
        CollectionAssert.AreEqual(first.Labels, again.Labels);
        CollectionAssert.AreEqual(first.ClassNames.ToArray(), again.ClassNames.ToArray());
        Assert.AreEqual(first.Fingerprint, again.Fingerprint);

        // Other options, or a changed file, or a damaged cache: decoded again, and the cache replaced.
        Assert.AreEqual(CacheUse.Written, ImageFolder.Read(files["set"], options with { Color = ImageColor.Grey }).Cache);
        Assert.AreEqual(CacheUse.Written, ImageFolder.Read(files["set"], options).Cache);
        Png(files["set/b/1.png"], 3, 3, p => (0, (byte)(20 * p), 0, 255));
        ImageFolderContents changed = ImageFolder.Read(files["set"], options);
        Assert.AreEqual(CacheUse.Written, changed.Cache);
        Assert.AreEqual("class b: a file's name or contents changed", FolderFingerprint.Changes(first.Fingerprint, changed.Fingerprint));
        byte[] cache = File.ReadAllBytes(files["set.images"]);
        cache[^1] ^= 1;
        File.WriteAllBytes(files["set.images"], cache);
        ImageFolderContents repaired = ImageFolder.Read(files["set"], options);
        Assert.AreEqual(CacheUse.Written, repaired.Cache);
        CollectionAssert.AreEqual(changed.Images.Pixels, repaired.Images.Pixels);

        // A file there that is not a cache is the user's: refused, untouched.
        File.WriteAllText(files["set.images"], "my notes");
        var e = Assert.ThrowsExactly<DataFormatException>(() => ImageFolder.Read(files["set"], options));
        StringAssert.Contains(e.Message, "set.images");
        StringAssert.Contains(e.Message, "not an image cache");
        Assert.AreEqual("my notes", File.ReadAllText(files["set.images"]));
    }

    [TestMethod]
    public void FingerprintChangesNameTheClassesThatChanged()
    {
        string before = "a\t3\tAA\nb\t3\tBB\nc\t1\tCC\n", after = "a\t3\tAA\nb\t4\tBX\nd\t1\tDD\n";
        Assert.AreEqual("class b holds 4 images, was 3; class d is new (1 images); class c is gone", FolderFingerprint.Changes(before, after));
        Assert.IsNull(FolderFingerprint.Changes(before, before));
    }

    [TestMethod]
    public void EveryTenthImageOfEachClassIsTheTestSplitAndTheRestTrain()
    {
        using var files = new TestFiles();
        for (int i = 0; i < 12; i++)
        {
            Png(files[$"set/a/{i:D2}.png"], 2, 2, _ => ((byte)i, (byte)i, (byte)i, 255));
            Png(files[$"set/b/{i:D2}.png"], 2, 2, _ => ((byte)(100 + i), (byte)(100 + i), (byte)(100 + i), 255));
        }

        ImageDataset train = ImageTargets.Load($"folder:{files["set"]}");
        ImageDataset test = ImageTargets.Load($"folder:{files["set"]}", test: true);
        Assert.AreEqual(22, train.Count);
        Assert.AreEqual(2, test.Count);
        CollectionAssert.AreEquivalent(new byte[] { 0, 1 }, test.Labels);
        // The 10th image of each class: 09.png, pixels 9 and 109, scaled to [-1, 1].
        CollectionAssert.AreEquivalent(new[] { 9 / 127.5f - 1, 109 / 127.5f - 1 }, new[] { test.Image(0)[0], test.Image(1)[0] });
        // A fixed shuffle, so the first images of a split are a fair subset (the evaluation takes the first N).
        Assert.IsTrue(train.Labels![..11].Distinct().Count() == 2, string.Join(",", train.Labels));
        CollectionAssert.AreEqual(train.Labels, ImageTargets.Load($"folder:{files["set"]}").Labels);
        Assert.IsFalse(Enumerable.Range(0, train.Count).Any(i => Math.Abs(train.Image(i)[0] - (9 / 127.5f - 1)) < 1e-6f), "held out of training");

        using var small = new TestFiles();
        Png(small["set/a/1.png"], 2, 2, _ => (1, 1, 1, 255));
        Png(small["set/a/2.png"], 2, 2, _ => (2, 2, 2, 255));
        Assert.AreEqual(2, ImageTargets.Load($"folder:{small["set"]}").Count, "a class of fewer than 10 images holds none out");
        var e = Assert.ThrowsExactly<DataFormatException>(() => ImageTargets.Load($"folder:{small["set"]}", test: true));
        StringAssert.Contains(e.Message, "no held-out test images");
    }

    [TestMethod]
    public void FlipsMirrorAboutHalfTheImagesAndFollowTheSeed()
    {
        using var files = new TestFiles();
        // Two asymmetric 3x4 RGB images: a mirrored one differs from both.
        Png(files["set/1.png"], 4, 3, p => ((byte)(p * 20), (byte)(p * 7), 9, 255));
        Png(files["set/2.png"], 4, 3, p => ((byte)(250 - p * 20), 30, (byte)(p * 3), 255));
        ImageDataset images = ImageTargets.Load($"folder:{files["set"]}");
        float[] Targets(bool flip, long seed)
        {
            // Linear interpolant: x1 = I_t + (1 - t) dI_t/dt.
            InterpolantBatch batch = new InterpolantBatchSampler(new StandardNormal(images.Dimension), images, new LinearInterpolant(), seed, flip: flip).Draw(64);
            return [.. batch.Points.Select((x, j) => x + (1 - batch.Times[j / images.Dimension]) * batch.PointVelocities[j])];
        }

        float[] plain = Targets(false, 5), flipped = Targets(true, 5);
        CollectionAssert.AreEqual(flipped, Targets(true, 5), "same seed, same flips");
        int mirrored = 0;
        for (int i = 0; i < 64; i++)
        {
            float[] original = plain[(i * images.Dimension)..((i + 1) * images.Dimension)], drawn = flipped[(i * images.Dimension)..((i + 1) * images.Dimension)];
            float[] mirror = [.. original];
            images.FlipHorizontally(mirror);
            bool same = original.Zip(drawn).All(p => Math.Abs(p.First - p.Second) < 1e-4), isMirror = mirror.Zip(drawn).All(p => Math.Abs(p.First - p.Second) < 1e-4);
            Assert.IsTrue(same ^ isMirror, $"draw {i} is the image or its mirror, not both or neither");
            mirrored += isMirror ? 1 : 0;
        }

        Assert.IsTrue(mirrored is > 16 and < 48, $"{mirrored} of 64 mirrored");
        // Mirroring reverses each row of each channel: pixel (row 0, column 0) of the red plane swaps with column 3.
        float[] one = images.Image(0).ToArray();
        images.FlipHorizontally(one);
        Assert.AreEqual(images.Image(0)[3], one[0]);
        Assert.AreEqual(images.Image(0)[12 + 4], one[12 + 7]);
    }

    [TestMethod]
    public void UNetLevelsKeepTheBottomAtLeastFourPixels()
    {
        (int Side, int[] Widths)[] cases = [(28, [32, 64, 64]), (16, [32, 64, 64]), (32, [32, 64, 64]), (64, [32, 64, 64, 128]), (48, [32, 64, 64, 128]), (18, [32, 64]), (8, [32, 64]), (17, [32])];
        foreach ((int side, int[] widths) in cases)
        {
            CollectionAssert.AreEqual(widths, UNetConfig.DefaultChannels(side, side).ToArray(), $"{side}x{side}");
        }
    }

    [TestMethod]
    public void FolderFlagsAreCheckedAndRefusedWhereTheyDoNotApply()
    {
        using var files = new TestFiles();
        Png(files["set/a.png"], 4, 4, _ => (1, 1, 1, 255));
        Png(files["set/b.png"], 4, 4, _ => (2, 2, 2, 255));
        files.Write("notes.images", "mine");
        string folder = $"folder:{files["set"]}";
        (string[] Args, string[] Mentions)[] cases =
        [
            (["--target", "gmm8", "--flip"], ["--flip", "image targets"]),
            (["--target", "gmm8", "--color", "rgb"], ["--color", "folder:DIR"]),
            (["--target", "fashion-mnist", "--network", "unet", "--image-size", "16"], ["--image-size", "folder:DIR"]),
            (["--target", "gmm8", "--skip-bad-images"], ["--skip-bad-images", "folder:DIR"]),
            (["--target", folder, "--network", "unet", "--image-size", "2"], ["--image-size", "2"]),
            (["--target", folder, "--network", "unet", "--image-cache", files["notes.images"]], ["notes.images", "not an image cache"]),
        ];
        foreach ((string[] args, string[] mentions) in cases)
        {
            var (code, error) = CommandLine.Trainer(["train", .. args, "--steps", "1", "--out", files["m.onnx"]]);
            Assert.AreEqual(1, code, error);
            ErrorLines.AssertOne(error, mentions);
            Assert.IsFalse(File.Exists(files["m.onnx"]), string.Join(" ", args));
        }

        Assert.AreEqual("mine", File.ReadAllText(files["notes.images"]));
        var (exit, message) = CommandLine.Trainer("classifier", "--target", "fashion-mnist", "--color", "grey", "--out", files["c.onnx"]);
        Assert.AreEqual(1, exit, message);
        ErrorLines.AssertOne(message, "--color", "folder:DIR");
    }
}

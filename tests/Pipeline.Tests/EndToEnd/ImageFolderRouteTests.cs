using System.Globalization;
using System.Text.RegularExpressions;
using FlowMatching.Io;
using SkiaSharp;
using static FlowMatching.Tests.ImageFolderTests;

namespace FlowMatching.Tests;

/// <summary>
/// A PNG class folder as a user has one (colour and grey images, a JPEG, a corrupt file, a note) trains, samples to .npy
/// and a colour grid, and is evaluated with a classifier trained on it; resuming on a changed folder names the change.
/// </summary>
[TestClass]
public sealed partial class ImageFolderRouteTests
{
    [TestMethod]
    public void AClassFolderTrainsSamplesInColourAndEvaluatesWithItsOwnClassifier()
    {
        using var files = new TestFiles();
        string data = files["shapes"];
        for (int i = 0; i < 50; i++)
        {
            // Red squares on black with a bright row, and grey ones: 10 of each class are held out as the test split.
            int row = i % 8;
            Encode(Path.Combine(data, "red", $"{i:D2}.{(i == 0 ? "jpg" : "png")}"), 8, 8, p => p / 8 == row ? ((byte)255, (byte)255, (byte)255, (byte)255) : ((byte)(150 + i), (byte)20, (byte)20, (byte)255),
                i == 0 ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png);
            Png(Path.Combine(data, "grey", $"{i:D2}.png"), 8, 8, p => p % 8 == row ? ((byte)250, (byte)250, (byte)250, (byte)255) : ((byte)(60 + i), (byte)(60 + i), (byte)(60 + i), (byte)255));
        }

        File.WriteAllBytes(Path.Combine(data, "red", "zz-broken.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 0, 1, 2, 3]);
        File.WriteAllText(Path.Combine(data, "grey", "notes.txt"), "where these came from");
        string[] train = ["train", "--target", $"folder:{data}", "--network", "unet", "--channels", "8,8", "--steps", "3", "--batch", "8", "--validation-batch", "8", "--flip"];

        var (code, error) = CommandLine.Trainer([.. train, "--out", files["m.onnx"]]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "zz-broken.png", "not a decodable image");
        Assert.IsFalse(File.Exists(files["m.onnx"]));

        (code, error) = CommandLine.Trainer([.. train, "--skip-bad-images", "--out", files["m.onnx"], "--checkpoint", files["m.ckpt"]]);
        Assert.AreEqual(0, code, error);
        foreach (string said in new[] { "100 images of 8x8 in 2 classes", "RGB (some images have colour)", "1 non-image file(s) ignored", "1 bad image(s) skipped", "zz-broken.png", "training split 90 images", $"cached in {files["m.onnx.images"]}" })
        {
            StringAssert.Contains(error, said);
        }

        (code, error) = CommandLine.Trainer("classifier", "--target", $"folder:{data}", "--skip-bad-images", "--steps", "20", "--batch", "16", "--out", files["c.onnx"]);
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(error, "on 10 images");

        (code, error) = CommandLine.Runtime("sample", "--model", files["m.onnx"], "--class", "all", "--n", "20", "--steps", "2", "--out", files["s.png"]);
        Assert.AreEqual(0, code, error);
        (long[] shape, float[] pixels) = NpyFile.ReadFloat32(files["s.npy"]);
        CollectionAssert.AreEqual(new long[] { 20, 3, 8, 8 }, shape);
        Assert.IsTrue(pixels.All(float.IsFinite));
        using (SKBitmap grid = SKBitmap.Decode(files["s.png"]))
        {
            Assert.IsTrue(Enumerable.Range(0, grid.Width * grid.Height).Select(p => grid.GetPixel(p % grid.Width, p / grid.Width)).Any(c => c.Red != c.Green || c.Green != c.Blue), "a colour grid");
        }

        (code, error) = CommandLine.Runtime("sample", "--model", files["m.onnx"], "--class", "red", "--n", "2", "--steps", "2", "--out", files["red.npy"]);
        Assert.AreEqual(0, code, error);
        CollectionAssert.AreEqual(new long[] { 1, 1 }, NpyFile.ReadInt64(files["red.labels.npy"]).Values, "classes by their folder's name");

        (code, string output, error) = CommandLine.RuntimeWithOutput("evaluate", "--samples", files["s.npy"], "--target", $"folder:{data}", "--classifier", files["c.onnx"], "--skip-bad-images");
        Assert.AreEqual(0, code, error);
        Match ratio = RatioPattern().Match(output);
        Assert.IsTrue(ratio.Success, output);
        Assert.IsTrue(double.Parse(ratio.Groups[1].Value, CultureInfo.InvariantCulture) is > 0 and < 1e6, output);
        StringAssert.Contains(output, "classified as the class asked for");

        // One more grey image: the checkpoint's folder is not this one any more.
        Png(Path.Combine(data, "grey", "50.png"), 8, 8, _ => (9, 9, 9, 255));
        (code, error) = CommandLine.Trainer("train", "--resume", files["m.ckpt"], "--steps", "5", "--out", files["m2.onnx"]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "m.ckpt", "changed since this checkpoint", "class grey holds 51 images, was 50");
        Assert.IsFalse(File.Exists(files["m2.onnx"]));
    }

    [GeneratedRegex(@"ratio ([0-9.]+)\)")]
    private static partial Regex RatioPattern();
}

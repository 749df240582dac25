using FlowMatching.Io;
using SkiaSharp;

namespace FlowMatching.Tests;

/// <summary>`plot grid` draws an existing .npy of images, a row per class; the point figures send a .npy to it.</summary>
[TestClass]
public sealed class GridFigureTests
{
    [TestMethod]
    public void ImagesAreDrawnARowPerClassWithTheirValuesMappedFromTheRange()
    {
        using var files = new TestFiles();
        // Six 1x4x4 images: image i is uniformly -1 + 0.4 i, classes alternate 0, 1.
        float[] images = [.. Enumerable.Range(0, 6).SelectMany(i => Enumerable.Repeat(-1f + 0.4f * i, 16))];
        NpyFile.Save(files["s.npy"], [6, 1, 4, 4], images, overwrite: false);
        using (NpyFile labels = NpyFile.CreateInt64(files["s.labels.npy"], [6], overwrite: false))
        {
            labels.Write([0L, 1, 0, 1, 0, 1]);
            labels.Commit();
        }

        var (code, error) = CommandLine.Runtime("plot", "grid", "--samples", files["s.npy"], "--labels", files["s.labels.npy"], "--scale", "2", "--out", files["g.png"]);
        Assert.AreEqual(0, code, error);
        using SKBitmap grid = SKBitmap.Decode(files["g.png"]);
        // A label margin, then 3 columns and 2 rows of 8x8 images with 2-pixel gaps.
        int margin = grid.Width - (3 * (8 + 2) + 2);
        Assert.IsTrue(margin > 6, $"no room for the row labels: margin {margin}");
        Assert.AreEqual(2 * (8 + 2) + 2, grid.Height);
        // Row 0 holds images 0, 2, 4; row 1 images 1, 3, 5. Pixel (x, y) of the image at row r, column c:
        byte Gray(int r, int c) => grid.GetPixel(margin + 2 + c * 10 + 3, 2 + r * 10 + 3).Red;
        Assert.AreEqual(0, Gray(0, 0));
        Assert.AreEqual((byte)Math.Round(255 * 0.8 / 2), Gray(0, 1));
        Assert.AreEqual((byte)Math.Round(255 * 1.2 / 2), Gray(1, 1));
        Assert.AreEqual(255, Gray(1, 2));
    }

    [TestMethod]
    public void EachRowIsLabelledWithItsClassName()
    {
        using var files = new TestFiles();
        // Two rows of 1x8x8 mid-grey images, scale 4: rows 34 pixels high, room for a legible label.
        NpyFile.Save(files["s.npy"], [4, 1, 8, 8], new float[4 * 64], overwrite: false);
        using (NpyFile labels = NpyFile.CreateInt64(files["s.labels.npy"], [4], overwrite: false))
        {
            labels.Write([0L, 1, 0, 1]);
            labels.Commit();
        }

        SKBitmap Draw(string names, string name)
        {
            var (code, error) = CommandLine.Runtime("plot", "grid", "--samples", files["s.npy"], "--labels", files["s.labels.npy"], "--class-names", names, "--scale", "4", "--out", files[name]);
            Assert.AreEqual(0, code, error);
            return SKBitmap.Decode(files[name]);
        }

        using SKBitmap shortNames = Draw("ab,cd", "short.png");
        using SKBitmap longNames = Draw("ab,a much longer class name", "long.png");
        int Margin(SKBitmap grid) => grid.Width - (2 * (32 + 2) + 2);
        Assert.IsTrue(Margin(longNames) > 3 * Margin(shortNames), $"margins {Margin(shortNames)} and {Margin(longNames)}: the label width does not follow the names");
        // Ink (dark pixels) in each row's label area and none in the gap between the rows.
        int Ink(SKBitmap grid, int top, int bottom) => Enumerable.Range(0, Margin(grid)).Sum(x => Enumerable.Range(top, bottom - top).Count(y => grid.GetPixel(x, y).Red < 128));
        Assert.IsTrue(Ink(longNames, 2, 34) > 10, "row 0 has no label");
        Assert.IsTrue(Ink(longNames, 36, 68) > Ink(longNames, 2, 34), "row 1's longer name has no more ink than row 0's");
        Assert.AreEqual(0, Ink(longNames, 34, 36));
    }

    [TestMethod]
    public void LabelsOfAnotherLengthAreRefusedNamingTheFlag()
    {
        using var files = new TestFiles();
        NpyFile.Save(files["s.npy"], [2, 1, 2, 2], new float[8], overwrite: false);
        using (NpyFile labels = NpyFile.CreateInt64(files["l.npy"], [3], overwrite: false))
        {
            labels.Write([0L, 1, 0]);
            labels.Commit();
        }

        var (code, error) = CommandLine.Runtime("plot", "grid", "--samples", files["s.npy"], "--labels", files["l.npy"], "--out", files["g.png"]);
        Assert.AreEqual(1, code);
        ErrorLines.AssertOne(error, "--labels", "expected 2 class numbers");
        Assert.IsFalse(File.Exists(files["g.png"]));
    }

    [TestMethod]
    public void APointFigureSendsImageSamplesToPlotGrid()
    {
        using var files = new TestFiles();
        NpyFile.Save(files["s.npy"], [2, 1, 2, 2], new float[8], overwrite: false);
        var (code, error) = CommandLine.Runtime("plot", "samples", "--samples", files["s.npy"], "--out", files["p.png"]);
        Assert.AreEqual(1, code);
        ErrorLines.AssertOne(error, "plot grid --samples");
    }
}

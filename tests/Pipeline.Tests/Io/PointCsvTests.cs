using FlowMatching.Errors;
using FlowMatching.Io;

namespace FlowMatching.Tests;

[TestClass]
public sealed class PointCsvTests
{
    [TestMethod]
    public void WrittenFloatsReadBackBitForBit()
    {
        using var files = new TestFiles();
        float[] values = [0.1f, -1e-30f, 3.4028235e38f, 1f / 3f, -0f, 123456.79f];
        PointCsv.Write(files["p.csv"], new PointSet(values, 3), overwrite: false);
        Assert.AreEqual("x0,x1,x2", File.ReadLines(files["p.csv"]).First());
        PointSet back = PointCsv.Read(files["p.csv"], 3);
        CollectionAssert.AreEqual(values.Select(BitConverter.SingleToInt32Bits).ToArray(), back.Values.Select(BitConverter.SingleToInt32Bits).ToArray());
    }

    [TestMethod]
    public void HeaderIsOptionalAndDimensionComesFromTheFirstRow()
    {
        using var files = new TestFiles();
        PointSet points = PointCsv.Read(files.Write("p.csv", "1.5,2\n-3,4e-2\n"));
        Assert.AreEqual(2, points.Dimension);
        Assert.AreEqual(2, points.Count);
        CollectionAssert.AreEqual(new[] { 1.5f, 2f, -3f, 0.04f }, points.Values);
    }

    [TestMethod]
    public void WrongDimensionAndEmptyFilesAreRejected()
    {
        using var files = new TestFiles();
        var e = Assert.ThrowsExactly<DataFormatException>(() => PointCsv.Read(files.Write("three.csv", "1,2,3\n"), 2));
        StringAssert.Contains(e.Message, "three.csv:1");
        e = Assert.ThrowsExactly<DataFormatException>(() => PointCsv.Read(files.Write("empty.csv", "x0,x1\n"), 2));
        StringAssert.Contains(e.Message, "no points");
        e = Assert.ThrowsExactly<DataFormatException>(() => PointCsv.Read(files["missing.csv"], 2));
        StringAssert.Contains(e.Message, "missing.csv");
        e = Assert.ThrowsExactly<DataFormatException>(() => PointCsv.Read(files.Write("inf.csv", "1,2\n3,Infinity\n"), 2));
        StringAssert.Contains(e.Message, "inf.csv:2");
    }
}

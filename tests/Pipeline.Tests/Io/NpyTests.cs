using System.Text;
using FlowMatching.Errors;
using FlowMatching.Io;

namespace FlowMatching.Tests;

/// <summary>.npy headers in the forms NumPy writes or accepts are read; the rest get one line naming the file.</summary>
[TestClass]
public sealed class NpyTests
{
    [TestMethod]
    [DataRow(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }")]
    [DataRow(1, "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}")]
    [DataRow(1, "{ 'descr' : '<f4' , 'fortran_order' : False , 'shape' : ( 2 , 3 ) }")]
    [DataRow(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }")]
    [DataRow(1, "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2, 3)}")]
    [DataRow(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }")]
    [DataRow(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }")]
    public void HeadersInEveryFormNumPyWritesAreRead(int version, string header)
    {
        using var files = new TestFiles();
        float[] values = [1, 2, 3, 4, 5, 6];
        Write(files["a.npy"], version, header, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        (long[] shape, float[] read) = NpyFile.ReadFloat32(files["a.npy"]);
        CollectionAssert.AreEqual(new long[] { 2, 3 }, shape);
        CollectionAssert.AreEqual(values, read);
    }

    [TestMethod]
    [DataRow("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", 48, "'<f8' array; expected C-ordered float32")]
    [DataRow("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", 24, "Fortran-ordered")]
    [DataRow("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", 0, "overflows")]
    [DataRow("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", 24, "not whole numbers")]
    [DataRow("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }", 24, "not whole numbers")]
    [DataRow("{'descr': '<f4', 'fortran_order': False}", 24, "without descr, fortran_order and shape")]
    [DataRow("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 20, "needs 24")]
    public void OtherHeadersAndSizesAreRefusedNamingTheFile(string header, int dataBytes, string says)
    {
        using var files = new TestFiles();
        Write(files["b.npy"], 1, header, new byte[dataBytes]);
        var e = Assert.ThrowsExactly<DataFormatException>(() => NpyFile.ReadFloat32(files["b.npy"]));
        StringAssert.Contains(e.Message, "b.npy");
        StringAssert.Contains(e.Message, says);
    }

    [TestMethod]
    public void ATruncatedHeaderOrAnotherFormatIsRefused()
    {
        using var files = new TestFiles();
        File.WriteAllBytes(files["c.npy"], [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 200, 0, (byte)'{']);
        StringAssert.Contains(Assert.ThrowsExactly<DataFormatException>(() => NpyFile.ReadFloat32(files["c.npy"])).Message, "truncated inside its header");
        File.WriteAllText(files["d.npy"], "x0,x1\n1,2\n");
        StringAssert.Contains(Assert.ThrowsExactly<DataFormatException>(() => NpyFile.ReadFloat32(files["d.npy"])).Message, "is not a .npy file");
    }

    [TestMethod]
    public void AFileOver2GBIsRefusedBeforeItIsRead()
    {
        using var files = new TestFiles();
        // Sparse: 2.2 GB long, next to nothing on disk.
        using (var file = new FileStream(files["big.npy"], FileMode.CreateNew))
        {
            file.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
            file.SetLength(2_200_000_000);
        }

        var e = Assert.ThrowsExactly<DataFormatException>(() => NpyFile.ReadFloat32(files["big.npy"]));
        StringAssert.Contains(e.Message, "more than the 2 GB");
    }

    [TestMethod]
    public void ImagesWithANonFinitePixelAreRefusedByEvaluate()
    {
        using var files = new TestFiles();
        float[] images = new float[2 * 784];
        images[784 + 5] = float.NaN;
        NpyFile.Save(files["s.npy"], [2, 1, 28, 28], images, overwrite: false);
        var (code, error) = CommandLine.Runtime("evaluate", "--samples", files["s.npy"], "--target", "fashion-mnist");
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "s.npy", "image 1", "not finite");
    }

    [TestMethod]
    public void AnEmptyImageArrayIsRefusedByEvaluate()
    {
        using var files = new TestFiles();
        NpyFile.Save(files["s.npy"], [0, 1, 28, 28], [], overwrite: false);
        var (code, error) = CommandLine.Runtime("evaluate", "--samples", files["s.npy"], "--target", "fashion-mnist");
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "s.npy", "no images");
    }

    internal static void Write(string path, int version, string dict, byte[] data)
    {
        int prefix = version == 1 ? 10 : 12;
        string header = dict + new string(' ', (64 - (prefix + dict.Length + 1) % 64) % 64) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)version, 0 };
        bytes.AddRange(version == 1 ? BitConverter.GetBytes((ushort)header.Length) : BitConverter.GetBytes((uint)header.Length));
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(data);
        File.WriteAllBytes(path, [.. bytes]);
    }
}

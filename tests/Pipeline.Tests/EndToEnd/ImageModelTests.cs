using FlowMatching.Io;
using FlowMatching.Runtime;
using FlowMatching.Runtime.Models;
using FlowMatching.Runtime.Options;
using FlowMatching.Runtime.Sampling;

namespace FlowMatching.Tests;

/// <summary>Image models end to end on a tiny IDX fixture: train, export, sample with classes and guidance, .npy out.</summary>
[TestClass]
public sealed class ImageModelTests
{
    /// <summary>The class-conditional network inside a loaded image model, to evaluate it with explicit classes.</summary>
    internal static IClassConditionalField ConditionalField(FlowModel model) => (IClassConditionalField)((VelocityModel)model).Network;

    internal static string TinyModel(TestFiles files)
    {
        (string images, string labels) = IdxTests.Fixture(files, count: 24);
        var (code, error) = CommandLine.Trainer("train", "--target", $"idx:{images},{labels}", "--network", "unet", "--channels", "8,16", "--steps", "6",
            "--batch", "8", "--lr", "1e-3", "--validation-batch", "8", "--validation-every", "3", "--out", files["tiny.onnx"], "--loss-csv", files["loss.csv"]);
        Assert.AreEqual(0, code, error);
        return files["tiny.onnx"];
    }

    [TestMethod]
    public void ATinyUNetTrainsExportsAndSamplesEveryClass()
    {
        using var files = new TestFiles();
        string model = TinyModel(files);
        Assert.AreEqual(7, File.ReadAllLines(files["loss.csv"]).Length);
        var (code, error) = CommandLine.Runtime("sample", "--model", model, "--class", "all", "--guidance", "2", "--n", "12", "--steps", "4", "--out", files["x.npy"]);
        Assert.AreEqual(0, code, error);
        (long[] shape, float[] values) = NpyFile.ReadFloat32(files["x.npy"]);
        CollectionAssert.AreEqual(new long[] { 12, 1, 8, 8 }, shape);
        Assert.IsTrue(values.All(float.IsFinite));
        (long[] labelShape, long[] labels) = NpyFile.ReadInt64(files["x.labels.npy"]);
        CollectionAssert.AreEqual(new long[] { 12 }, labelShape);
        CollectionAssert.AreEqual(Enumerable.Range(0, 12).Select(i => (long)(i % 3)).ToArray(), labels);
        byte[] png = File.ReadAllBytes(files["x.png"]);
        CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);

        (code, error) = CommandLine.Runtime("sample", "--model", model, "--n", "4", "--out", files["x.csv"]);
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, ".npy");
        (code, error) = CommandLine.Runtime("sample", "--model", model, "--class", "3", "--n", "4", "--out", files["y.npy"]);
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, "--class 3");
        (code, error) = CommandLine.Runtime("sample", "--model", "exact:gmm8", "--class", "1", "--n", "4", "--out", files["p.csv"]);
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, "--class");
    }

    [TestMethod]
    public void ImagePathFigureAndInfoDescribeAnImageModel()
    {
        using var files = new TestFiles();
        string model = TinyModel(files);
        var (code, error) = CommandLine.Runtime("plot", "image-path", "--model", model, "--class", "all", "--n", "2", "--snapshots", "3", "--steps", "4", "--out", files["path.png"]);
        Assert.AreEqual(0, code, error);
        byte[] png = File.ReadAllBytes(files["path.png"]);
        // 3 snapshots of 8x8 pixels drawn 3x3 with 2-pixel gaps: 3 * 26 + 2 wide, 2 * 26 + 2 high.
        Assert.AreEqual(80, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.AreEqual(54, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));

        var (infoCode, output, infoError) = CommandLine.RuntimeWithOutput("info", "--model", model);
        Assert.AreEqual(0, infoCode, infoError);
        StringAssert.Contains(output, "inputs: x [N, 1, 8, 8] (images), t [N] (times), y [N] (int64 classes, 3 the null class); output: v [N, 1, 8, 8]");
        StringAssert.Contains(output, "flowmatching.data.shape = 1,8,8");
    }

    [TestMethod]
    public void ImageSamplingIsChunkInvariantByteForByte()
    {
        using var files = new TestFiles();
        string model = TinyModel(files);
        foreach ((string name, string chunk) in new[] { ("a.npy", "12"), ("b.npy", "5") })
        {
            var (code, error) = CommandLine.Runtime("sample", "--model", model, "--class", "all", "--guidance", "1.5", "--sampler", "sde", "--n", "12", "--steps", "5", "--chunk", chunk, "--out", files[name]);
            Assert.AreEqual(0, code, error);
        }

        CollectionAssert.AreEqual(File.ReadAllBytes(files["a.npy"]), File.ReadAllBytes(files["b.npy"]));
        CollectionAssert.AreEqual(File.ReadAllBytes(files["a.labels.npy"]), File.ReadAllBytes(files["b.labels.npy"]));
    }

    [TestMethod]
    public void GuidanceInOneBatchEqualsTwoSeparateCalls()
    {
        using var files = new TestFiles();
        using FlowModel model = FlowModel.Load(TinyModel(files), new ModelLoadOptions { Provider = ExecutionProviderKind.Cpu });
        Assert.AreEqual(3, model.Classes);
        IClassConditionalField field = ConditionalField(model);
        const double w = 2.5;
        const int n = 6;
        var random = new Randomness.RandomStream(2, 2);
        float[] x = Enumerable.Range(0, n * 64).Select(_ => (float)random.NextGaussian()).ToArray();
        var guided = new GuidedField(field, new Conditioning(ClassSelection.All, w));
        long[] classes = Enumerable.Range(4, n).Select(i => (long)(i % 3)).ToArray();
        var combined = new float[x.Length];
        guided.Evaluate(0.3, x, classes, combined);

        var conditional = new float[x.Length];
        var unconditional = new float[x.Length];
        field.Evaluate(0.3, x, classes, conditional);
        field.Evaluate(0.3, x, Enumerable.Repeat(3L, n).ToArray(), unconditional);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.AreEqual(unconditional[i] + w * (conditional[i] - unconditional[i]), combined[i], 1e-4, $"element {i}");
        }

        CollectionAssert.AreNotEqual(conditional, unconditional, "the class must change the field");
    }

    [TestMethod]
    public void NpyFilesRoundTripWithNumPysHeader()
    {
        using var files = new TestFiles();
        float[] values = [1.5f, -2f, 0f, 3.25f, 4f, 5f];
        using (NpyFile file = NpyFile.CreateFloat32(files["a.npy"], [2, 3], overwrite: false))
        {
            file.Write(values);
            file.Commit();
        }

        byte[] bytes = File.ReadAllBytes(files["a.npy"]);
        CollectionAssert.AreEqual(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes[..8]);
        Assert.AreEqual(0, (10 + BitConverter.ToUInt16(bytes, 8)) % 64, "the data starts on a 64-byte boundary");
        StringAssert.Contains(System.Text.Encoding.ASCII.GetString(bytes, 10, 70), "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
        Assert.AreEqual(128 + 24, bytes.Length);
        (long[] shape, float[] read) = NpyFile.ReadFloat32(files["a.npy"]);
        CollectionAssert.AreEqual(new long[] { 2, 3 }, shape);
        CollectionAssert.AreEqual(values, read);

        using (NpyFile file = NpyFile.CreateInt64(files["l.npy"], [3], overwrite: false))
        {
            file.Write([7L, 8L, 9L]);
            file.Commit();
        }

        StringAssert.Contains(System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(files["l.npy"]), 10, 60), "'shape': (3,)");
        CollectionAssert.AreEqual(new long[] { 7, 8, 9 }, NpyFile.ReadInt64(files["l.npy"]).Values);
    }

    [TestMethod]
    public void EvaluateReportsImageStatisticsInTheClassifiersFeatureSpace()
    {
        using var files = new TestFiles();
        string model = TinyModel(files);
        (string images, string labels) = IdxTests.Fixture(files, count: 24);
        string set = $"idx:{images},{labels}";
        Assert.AreEqual(0, CommandLine.Trainer("classifier", "--target", set, "--test", set, "--steps", "40", "--batch", "8", "--out", files["c.onnx"]).ExitCode);
        Assert.AreEqual(0, CommandLine.Runtime("sample", "--model", model, "--class", "all", "--n", "24", "--steps", "3", "--out", files["s.npy"]).ExitCode);
        var (code, output, error) = CommandLine.RuntimeWithOutput("evaluate", "--samples", files["s.npy"], "--target", set, "--classifier", files["c.onnx"], "--train-images", "24", "--report", files["r.json"]);
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "classified as the class asked for");
        var (infoCode, _, infoError) = CommandLine.RuntimeWithOutput("info", "--model", files["c.onnx"]);
        Assert.AreEqual(1, infoCode);
        StringAssert.Contains(infoError, "is a feature classifier");
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(files["r.json"]));
        Assert.AreEqual(24, report.RootElement.GetProperty("Count").GetInt32());
        Assert.AreEqual(3, report.RootElement.GetProperty("ClassShares").GetArrayLength());
        Assert.IsTrue(report.RootElement.TryGetProperty("ConditionalAccuracy", out _));
        (code, _, error) = CommandLine.RuntimeWithOutput("evaluate", "--samples", files["s.npy"], "--target", set, "--classifier", files["c.onnx"], "--target-draws", "3");
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, "--target-draws");

        // A target of another image size is refused, not cut into blocks and scored.
        using var other = new TestFiles();
        (string large, string largeLabels) = IdxTests.Fixture(other, count: 24, size: 12);
        (code, _, error) = CommandLine.RuntimeWithOutput("evaluate", "--samples", files["s.npy"], "--target", $"idx:{large},{largeLabels}", "--classifier", files["c.onnx"]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "--target", "(1, 12, 12)");

        // Labels outside the classes (the null class 3 included) are refused naming the file.
        using (NpyFile asked = NpyFile.CreateInt64(files["s.labels.npy"], [24], overwrite: true))
        {
            asked.Write([.. Enumerable.Range(0, 24).Select(i => i == 5 ? 3L : i % 3)]);
            asked.Commit();
        }

        (code, _, error) = CommandLine.RuntimeWithOutput("evaluate", "--samples", files["s.npy"], "--target", set, "--classifier", files["c.onnx"], "--train-images", "24");
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "s.labels.npy", "class 3 is not one of the target's classes");
    }
}

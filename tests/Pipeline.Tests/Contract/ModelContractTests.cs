using FlowMatching.Contract;
using FlowMatching.Errors;
using FlowMatching.Interpolants;
using FlowMatching.Training;
using FlowMatching.Training.Network;
using FlowMatching.Training.Onnx;
using FlowMatching.Training.Onnx.Proto;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace FlowMatching.Tests;

[TestClass]
public sealed class ModelContractTests
{
    [TestMethod]
    public void ExportedModelCarriesTheContractAndSignature()
    {
        var options = new TrainingOptions { Steps = 5, Batch = 64, Hidden = [16, 16], Seed = 2, ValidationBatch = 0, Target = "checkerboard" };
        using var files = new TestFiles();
        using Mlp network = Models.Train(options);
        string path = Models.Export(network, options, files["m.onnx"]);

        ModelProto proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        Assert.AreEqual(8, proto.IrVersion);
        Assert.AreEqual(17, proto.OpsetImport.Single().Version);
        Assert.IsTrue(proto.Graph.Initializer.Any(i => i.Name == "layer0.weight" && i.Dims.SequenceEqual(new long[] { 16, 3 })));

        using var session = new InferenceSession(path);
        Assert.AreEqual("batch", session.InputMetadata["x"].SymbolicDimensions[0]);
        CollectionAssert.AreEqual(new[] { -1, 2 }, session.InputMetadata["x"].Dimensions);
        CollectionAssert.AreEqual(new[] { -1 }, session.InputMetadata["t"].Dimensions);
        CollectionAssert.AreEqual(new[] { -1, 2 }, session.OutputMetadata["v"].Dimensions);

        ModelContract? metadata = ModelContract.FromProperties(session.ModelMetadata.CustomMetadataMap, path);
        Assert.IsNotNull(metadata);
        Assert.AreEqual("checkerboard", metadata.Target);
        Assert.AreEqual(InterpolantKind.Linear, metadata.Interpolant);
        Assert.AreEqual(2, metadata.Dimension);
        CollectionAssert.AreEqual(new[] { 16, 16 }, metadata.Hidden.ToArray());
        Assert.AreEqual("1", session.ModelMetadata.CustomMetadataMap[MetadataKeys.FormatVersion]);
    }

    [TestMethod]
    [DataRow(MetadataKeys.ValueRange, "1,-1")]
    [DataRow(MetadataKeys.ValueRange, "0,0")]
    [DataRow(MetadataKeys.ValueRange, "-1")]
    [DataRow(MetadataKeys.ValueRange, "-1,NaN")]
    [DataRow(MetadataKeys.RecommendedGuidance, "2")]
    [DataRow(MetadataKeys.RecommendedTimeGrid, "0,0.5,1")]
    public void AReversedRangeOrARecommendationWithoutItsMethodIsRefusedByKey(string key, string value)
    {
        var properties = Models.Metadata(new TrainingOptions()).ToProperties().ToDictionary(p => p.Key, p => p.Value);
        properties[key] = value;
        var error = Assert.ThrowsExactly<ModelContractException>(() => ModelContract.FromProperties(properties, "m.onnx"));
        StringAssert.Contains(error.Message, key);
    }

    [TestMethod]
    [DataRow(5, "more than 6 rows")]
    [DataRow(12, "does not take the null class 12")]
    public void ClassesThatDisagreeWithTheNetworksEmbeddingAreRefusedAtLoad(int classes, string detail)
    {
        using var files = new TestFiles();
        ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(RepositoryFiles.Path("models", "fashion-mnist.onnx")));
        foreach (StringStringEntryProto entry in model.MetadataProps)
        {
            entry.Value = entry.Key switch
            {
                MetadataKeys.ClassNames => System.Text.Json.JsonSerializer.Serialize(Enumerable.Range(0, classes).Select(c => $"c{c}")),
                MetadataKeys.NullClass => $"{classes}",
                _ => entry.Value,
            };
        }

        File.WriteAllBytes(files["m.onnx"], model.ToByteArray());
        var (code, error) = CommandLine.Runtime("sample", "--model", files["m.onnx"], "--n", "2", "--out", files["x.npy"]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "m.onnx", MetadataKeys.NullClass, detail);
        Assert.IsFalse(File.Exists(files["x.npy"]));
    }

    [TestMethod]
    public void MetadataRoundTripsAndRejectsOtherVersions()
    {
        var metadata = new ModelContract("p", "1.2", InterpolantKind.Trigonometric, 2, "normal(0,I)", "csv:d.csv", [7, 9], "silu", 100, 50, 42, -1.25)
        {
            EmaDecay = 0.999,
            TimeEmbedding = TimeEmbedding.Fourier(8),
            DataMean = [1.5, -2],
            DataStd = [0.25, 3],
        };
        var properties = metadata.ToProperties().ToDictionary();
        ModelContract back = ModelContract.FromProperties(properties, "m")!;
        Assert.AreEqual(metadata with { Hidden = back.Hidden, DataMean = back.DataMean, DataStd = back.DataStd }, back);
        CollectionAssert.AreEqual(new[] { 7, 9 }, back.Hidden.ToArray());
        CollectionAssert.AreEqual(new[] { 1.5, -2 }, back.DataMean.ToArray());
        CollectionAssert.AreEqual(new[] { 0.25, 3.0 }, back.DataStd.ToArray());

        properties.Remove(MetadataKeys.DataStd);
        StringAssert.Contains(Assert.ThrowsExactly<ModelContractException>(() => ModelContract.FromProperties(properties, "m")).Message, "data.std");
        properties.Remove(MetadataKeys.DataMean);
        properties.Remove(MetadataKeys.EmaDecay);
        Assert.AreEqual(0.0, ModelContract.FromProperties(properties, "m")!.EmaDecay, "optional keys default when absent");

        Assert.IsNull(ModelContract.FromProperties(new Dictionary<string, string>(), "m"));
        properties[MetadataKeys.FormatVersion] = "99";
        StringAssert.Contains(Assert.ThrowsExactly<ModelContractException>(() => ModelContract.FromProperties(properties, "m")).Message, "version 99");
    }

    [TestMethod]
    public void MetadataThatContradictsTheGraphIsRejected()
    {
        var options = new TrainingOptions { Steps = 1, Batch = 8, Hidden = [8], ValidationBatch = 0 };
        using var files = new TestFiles();
        using Mlp network = Models.Train(options);
        ModelProto model = MlpExporter.ToModel(network.ToWeights(), Models.Metadata(options, dimension: 3));
        File.WriteAllBytes(files["lying.onnx"], model.ToByteArray());
        var (code, error) = CommandLine.Runtime("sample", "--model", files["lying.onnx"], "--provider", "cpu", "--out", files["s.csv"]);
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, "dimension 3");
        Assert.IsFalse(File.Exists(files["s.csv"]));
    }

    [TestMethod]
    public void SameSeedGivesTheSameModelBytes()
    {
        using var files = new TestFiles();
        string[] Args(string name) => ["train", "--steps", "40", "--batch", "128", "--hidden", "32,32", "--seed", "7", "--out", files[name]];
        Assert.AreEqual(0, CommandLine.Trainer(Args("a.onnx")).ExitCode);
        Assert.AreEqual(0, CommandLine.Trainer(Args("b.onnx")).ExitCode);
        CollectionAssert.AreEqual(File.ReadAllBytes(files["a.onnx"]), File.ReadAllBytes(files["b.onnx"]));
        string[] other = Args("c.onnx");
        other[8] = "8";
        Assert.AreEqual(0, CommandLine.Trainer(other).ExitCode);
        CollectionAssert.AreNotEqual(File.ReadAllBytes(files["a.onnx"]), File.ReadAllBytes(files["c.onnx"]));
    }

    [TestMethod]
    public void CudaProviderIsAnErrorWhereItCannotLoadAndWorksWhereItCan()
    {
        var options = new TrainingOptions { Steps = 1, Batch = 8, Hidden = [8], ValidationBatch = 0 };
        using var files = new TestFiles();
        using (Mlp network = Models.Train(options))
        {
            Models.Export(network, options, files["m.onnx"]);
        }

        bool cudaLoads;
        try
        {
            using var probe = new SessionOptions();
            probe.AppendExecutionProvider_CUDA(0);
            cudaLoads = true;
        }
        catch (OnnxRuntimeException)
        {
            cudaLoads = false;
        }

        var (code, error) = CommandLine.Runtime("sample", "--model", files["m.onnx"], "--provider", "cuda", "--n", "5", "--out", files["s.csv"]);
        Assert.AreEqual(cudaLoads ? 0 : 1, code, error);
        if (!cudaLoads)
        {
            StringAssert.Contains(error, "--provider cuda");
            Assert.IsFalse(File.Exists(files["s.csv"]));
        }
    }

    [TestMethod]
    public void AutomaticProviderSaysInOneShortLineThatThereIsNoCuda()
    {
        var (code, error) = CommandLine.Runtime("sample", "--model", RepositoryFiles.Path("models", "gmm8.onnx"), "--n", "5", "--out", "-");
        Assert.AreEqual(0, code, error);
        if (error.Contains("on ONNX Runtime CUDA", StringComparison.Ordinal))
        {
            Assert.Inconclusive("CUDA loads on this machine; there is no fallback to word");
        }

        string[] cuda = error.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Contains("CUDA", StringComparison.Ordinal)).ToArray();
        CollectionAssert.AreEqual(new[] { "flowmatch: running on the CPU (no CUDA here)" }, cuda, error);
        Assert.IsFalse(error.Contains("shared library", StringComparison.Ordinal), error);
    }
}

using System.Runtime.InteropServices;
using FlowMatching.Io;
using FlowMatching.Randomness;
using FlowMatching.Training.Network;
using FlowMatching.Training.Onnx;
using FlowMatching.Training.Onnx.Proto;
using Google.Protobuf;
using static TorchSharp.torch;

namespace FlowMatching.Tests;

/// <summary>
/// A class-conditional U-Net without this project's metadata, as torch.onnx.export leaves one: sampled from given
/// noise and labels with the facts given by flags, or after annotate, it reproduces Euler-40 in TorchSharp.
/// </summary>
[TestClass]
public sealed class ForeignImageModelTests
{
    private const int Count = 6, Steps = 40, Classes = 3;

    [TestMethod]
    [DataRow(1.0, false)]
    [DataRow(2.0, false)]
    [DataRow(2.0, true)]
    public void GivenNoiseAndLabelsReproduceTorchSharpsEulerByFlagsAndAfterAnnotate(double guidance, bool otherNullClass)
    {
        using var files = new TestFiles();
        // With otherNullClass the embedding has a spare row: the null class is id 4, not K = 3.
        int nullClass = otherNullClass ? Classes + 1 : Classes;
        using UNet network = Foreign(files["foreign.onnx"], nullClass);
        (float[] noise, long[] labels) = NoiseAndLabels(files);
        float[] expected = TorchEuler(network, noise, labels, guidance, nullClass);

        string[] described = ["--classes", $"{Classes}", "--class-names", "cat,dog,owl", .. otherNullClass ? new[] { "--null-class", $"{nullClass}" } : []];
        string[] sampling = ["--init", files["z.npy"], "--labels", files["y.npy"], "--guidance", $"{guidance}", "--method", "euler", "--steps", $"{Steps}", "--provider", "cpu"];
        var (code, error) = CommandLine.Runtime(["sample", "--model", files["foreign.onnx"], .. described, .. sampling, "--out", files["flags.npy"]]);
        Assert.AreEqual(0, code, error);
        AssertClose(expected, NpyFile.ReadFloat32(files["flags.npy"]).Values);
        CollectionAssert.AreEqual(labels, NpyFile.ReadInt64(files["flags.labels.npy"]).Values);

        (code, error) = CommandLine.Runtime(["annotate", "--model", files["foreign.onnx"], .. described, "--out", files["annotated.onnx"]]);
        Assert.AreEqual(0, code, error);
        (code, error) = CommandLine.Runtime(["sample", "--model", files["annotated.onnx"], .. sampling, "--out", files["annotated.npy"]]);
        Assert.AreEqual(0, code, error);
        CollectionAssert.AreEqual(File.ReadAllBytes(files["flags.npy"]), File.ReadAllBytes(files["annotated.npy"]));
    }

    [TestMethod]
    public void AnnotateLeavesTheGraphUntouchedAndTheCopyDescribesItself()
    {
        using var files = new TestFiles();
        using UNet network = Foreign(files["foreign.onnx"], Classes);
        var (code, error) = CommandLine.Runtime("annotate", "--model", files["foreign.onnx"], "--classes", "3", "--data-range", "0,1", "--interpolant", "trig", "--out", files["a.onnx"]);
        Assert.AreEqual(0, code, error);
        ModelProto before = ModelProto.Parser.ParseFrom(File.ReadAllBytes(files["foreign.onnx"]));
        ModelProto after = ModelProto.Parser.ParseFrom(File.ReadAllBytes(files["a.onnx"]));
        Assert.AreEqual(before.Graph, after.Graph);
        var contract = Runtime.FlowModel.ReadContract(files["a.onnx"])!;
        Assert.AreEqual(3, contract.Classes);
        Assert.AreEqual(3, contract.NullClass);
        CollectionAssert.AreEqual(new[] { "0", "1", "2" }, contract.ClassNames.ToArray());
        CollectionAssert.AreEqual(new[] { 0.0, 1.0 }, contract.ValueRange.ToArray());
        Assert.AreEqual(Interpolants.InterpolantKind.Trigonometric, contract.Interpolant);
        Assert.AreEqual("pytorch", contract.Producer);

        // A recommendation needs the metadata it is part of: refused on the original, kept on the annotated copy.
        (code, error) = CommandLine.Trainer("recommend", "--model", files["foreign.onnx"], "--method", "heun", "--steps", "3", "--out", files["r.onnx"]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "foreign.onnx", "no flowmatching metadata", "flowmatch annotate");
        (code, error) = CommandLine.Trainer("recommend", "--model", files["a.onnx"], "--method", "heun", "--steps", "3", "--out", files["r.onnx"]);
        Assert.AreEqual(0, code, error);
        (code, error) = CommandLine.Runtime("sample", "--model", files["r.onnx"], "--class", "1", "--n", "2", "--provider", "cpu", "--out", files["s.npy"]);
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(error, "NFE 6 per image");
    }

    [TestMethod]
    public void BadDescriptionsAndInputsGetOneLineEach()
    {
        using var files = new TestFiles();
        using UNet network = Foreign(files["foreign.onnx"], Classes);
        NoiseAndLabels(files);
        string model = files["foreign.onnx"];
        NpyFile.Save(files["small.npy"], [Count, 1, 4, 4], new float[Count * 16], overwrite: false);
        float[] nan = new float[Count * 64];
        nan[70] = float.NaN;
        NpyFile.Save(files["nan.npy"], [Count, 1, 8, 8], nan, overwrite: false);
        Labels(files["wide.npy"], [0, 1, 2, 3, 0, 1]);
        Labels(files["short.npy"], [0, 1, 2]);
        NpyFile.Save(files["float-labels.npy"], [Count], new float[Count], overwrite: false);
        string[] run = ["--provider", "cpu", "--steps", "2", "--out", files["s.npy"]];
        (string[] Arguments, string[] Mentions)[] cases =
        [
            (["sample", "--model", model, .. run], ["--classes", "foreign.onnx", "takes classes y"]),
            (["sample", "--model", model, "--classes", "3", "--null-class", "1", .. run], ["--null-class", "one of the classes"]),
            (["sample", "--model", model, "--classes", "3", "--class-names", "a,b", .. run], ["--class-names", "3 distinct"]),
            (["sample", "--model", "fashion-mnist", "--classes", "10", .. run], ["--classes", "carries its own metadata"]),
            (["sample", "--model", model, "--classes", "3", "--labels", files["wide.npy"], .. run], ["--labels", "label 3 at index 3"]),
            (["sample", "--model", model, "--classes", "3", "--labels", files["float-labels.npy"], .. run], ["float-labels.npy", "int"]),
            (["sample", "--model", model, "--classes", "3", "--labels", files["y.npy"], "--class", "1", .. run], ["--class", "--labels"]),
            (["sample", "--model", model, "--classes", "3", "--init", files["z.npy"], "--labels", files["short.npy"], .. run], ["--labels", "3 classes for the 6 starting images"]),
            (["sample", "--model", model, "--classes", "3", "--init", files["small.npy"], .. run], ["--init", "small.npy", "[6, 1, 4, 4]", "[N, 1, 8, 8]"]),
            (["sample", "--model", model, "--classes", "3", "--init", files["nan.npy"], .. run], ["--init", "nan.npy", "image 1", "finite"]),
            (["annotate", "--model", RepositoryFiles.Path("models", "fashion-mnist.onnx"), "--out", files["a.onnx"]], ["fashion-mnist.onnx", "already carries flowmatching metadata"]),
            (["annotate", "--model", model, "--classes", "3", "--out", model, "--force"], ["--out", "--model"]),
            (["annotate", "--model", model, "--out", files["a.onnx"]], ["--classes", "takes classes y"]),
            (["annotate", "--model", model, "--classes", "3", "--out", files["z.npy"]], ["z.npy", "exists"]),
        ];
        var (parseCode, parseError) = CommandLine.Runtime(["sample", "--model", model, "--classes", "3", "--data-range", "1,-1", .. run]);
        Assert.AreEqual(2, parseCode, parseError);
        StringAssert.Contains(parseError, "--data-range 1,-1: expected LOW,HIGH with LOW < HIGH");
        foreach ((string[] arguments, string[] mentions) in cases)
        {
            var (code, error) = CommandLine.Runtime(arguments);
            Assert.AreEqual(1, code, $"{string.Join(' ', arguments)}: {error}");
            ErrorLines.AssertOne(error, mentions);
            Assert.IsFalse(File.Exists(files["s.npy"]) || File.Exists(files["a.onnx"]), string.Join(' ', arguments));
        }
    }

    [TestMethod]
    public void AnImageModelWithAFreeHeightIsRefusedNamingIt()
    {
        using var files = new TestFiles();
        var graph = new OnnxGraphBuilder("g");
        graph.Input("x", "N", 1, "H", 8);
        graph.Input("t", "N");
        graph.Output("v", "N", 1, "H", 8);
        graph.Node("Identity", "v", ["x"]);
        var model = new ModelProto { IrVersion = 8, ProducerName = "pytorch", Graph = graph.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        File.WriteAllBytes(files["free.onnx"], model.ToByteArray());
        var (code, error) = CommandLine.Runtime("sample", "--model", files["free.onnx"], "--provider", "cpu", "--out", files["s.npy"]);
        Assert.AreEqual(1, code, error);
        ErrorLines.AssertOne(error, "free.onnx", "free H");
        Assert.IsFalse(File.Exists(files["s.npy"]));
    }

    // A random U-Net whose class embedding has nullClass + 1 rows, written by the project's exporter and then stripped
    // of its metadata, named by "pytorch" like a file from torch.onnx.export.
    private static UNet Foreign(string path, int nullClass)
    {
        random.manual_seed(11);
        var config = new UNetConfig([8, 16], 1, 8, 8, nullClass);
        var network = new UNet(config);
        string[] names = [.. Enumerable.Range(0, nullClass).Select(c => $"{c}")];
        ModelProto model = ModelProto.Parser.ParseFrom(UNetExporter.Export(network, UNetExportTests.Contract(config, names)));
        model.MetadataProps.Clear();
        model.ProducerName = "pytorch";
        File.WriteAllBytes(path, model.ToByteArray());
        return network;
    }

    // Noise as float64 (NumPy's default) and labels as int32, the forms a Python user hands over.
    private static (float[] Noise, long[] Labels) NoiseAndLabels(TestFiles files)
    {
        var stream = new RandomStream(9, 0);
        double[] noise = [.. Enumerable.Range(0, Count * 64).Select(_ => stream.NextGaussian())];
        NpyTests.Write(files["z.npy"], 1, $"{{'descr': '<f8', 'fortran_order': False, 'shape': ({Count}, 1, 8, 8), }}", MemoryMarshal.AsBytes(noise.AsSpan()).ToArray());
        long[] labels = [2, 0, 1, 1, 2, 0];
        Labels(files["y.npy"], labels);
        return ([.. noise.Select(v => (float)v)], labels);
    }

    private static void Labels(string path, int[] labels) =>
        NpyTests.Write(path, 1, $"{{'descr': '<i4', 'fortran_order': False, 'shape': ({labels.Length},), }}", MemoryMarshal.AsBytes(labels.AsSpan()).ToArray());

    private static void Labels(string path, long[] labels) => Labels(path, [.. labels.Select(l => (int)l)]);

    // x_{k+1} = x_k + h (v_u + w (v_c - v_u)) at t_k = k h: the guided Euler steps, in TorchSharp.
    private static float[] TorchEuler(UNet network, float[] noise, long[] labels, double guidance, int nullClass)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Tensor x = tensor(noise, [Count, 1, 8, 8]);
        Tensor y = tensor(labels), none = full([Count], nullClass, dtype: ScalarType.Int64);
        for (int k = 0; k < Steps; k++)
        {
            Tensor t = full([Count], k / (float)Steps);
            Tensor conditional = network.forward(x, t, y), unconditional = network.forward(x, t, none);
            x = x + (unconditional + guidance * (conditional - unconditional)) / Steps;
        }

        return x.data<float>().ToArray();
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.AreEqual(expected.Length, actual.Length);
        double worst = expected.Zip(actual, (e, a) => (double)Math.Abs(e - a)).Max();
        double spread = expected.Max(Math.Abs);
        Assert.IsTrue(worst <= 1e-3, $"max |torch - onnx| = {worst} (values up to {spread})");
    }
}

using FlowMatching.Io;
using FlowMatching.Training;
using FlowMatching.Training.Network;
using FlowMatching.Training.Onnx;
using FlowMatching.Training.Onnx.Proto;
using Google.Protobuf;

namespace FlowMatching.Tests;

/// <summary>
/// Models from other exporters: no metadata, other names, t as [N, 1]. The graph below has the shape
/// torch.onnx.export gives the tutorial's network (inputs named by the exporter, Unsqueeze or a
/// [N, 1] time, Concat, Gemm layers, an "output" tensor).
/// </summary>
[TestClass]
public sealed class ForeignModelTests
{
    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void ModelWithoutMetadataSamplesLikeTheSameWeightsExportedHere(bool timeAsColumn)
    {
        var options = new TrainingOptions { Steps = 30, Batch = 128, Hidden = [32, 32], Seed = 5, ValidationBatch = 0 };
        using var files = new TestFiles();
        using Mlp network = Models.Train(options);
        NetworkWeights weights = network.ToWeights();
        Models.Export(network, options, files["ours.onnx"]);
        File.WriteAllBytes(files["torch.onnx"], TorchStyleModel(weights, timeAsColumn).ToByteArray());

        var (code, error) = CommandLine.Runtime("sample", "--model", files["torch.onnx"], "--n", "300", "--provider", "cpu", "--out", files["theirs.csv"]);
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(error, "assuming the linear interpolant");
        (code, error) = CommandLine.Runtime("sample", "--model", files["ours.onnx"], "--n", "300", "--provider", "cpu", "--out", files["ours.csv"]);
        Assert.AreEqual(0, code, error);

        PointSet theirs = PointCsv.Read(files["theirs.csv"]);
        PointSet ours = PointCsv.Read(files["ours.csv"]);
        Assert.AreEqual(ours.Values.Length, theirs.Values.Length);
        double worst = ours.Values.Zip(theirs.Values, (a, b) => Math.Abs(a - b)).Max();
        Assert.IsTrue(worst < 1e-4, $"max difference {worst}");
    }

    [TestMethod]
    public void ModelWithoutTwoInputsIsRejectedNamingTheFile()
    {
        using var files = new TestFiles();
        var graph = new OnnxGraphBuilder("g");
        graph.Input("only", "N", 2);
        graph.Output("y", "N", 2);
        graph.Node("Identity", "y", ["only"]);
        File.WriteAllBytes(files["one-input.onnx"], Wrap(graph).ToByteArray());
        var (code, error) = CommandLine.Runtime("sample", "--model", files["one-input.onnx"], "--provider", "cpu", "--out", files["s.csv"]);
        Assert.AreEqual(1, code, error);
        StringAssert.Contains(error, "one-input.onnx");
        StringAssert.Contains(error, "two float inputs");
        Assert.IsFalse(File.Exists(files["s.csv"]));
    }

    public static ModelProto TorchStyleModel(NetworkWeights weights, bool timeAsColumn)
    {
        var graph = new OnnxGraphBuilder("main_graph");
        graph.Input("input.1", "batch_size", weights.Dimension);
        string time = "onnx::Unsqueeze_1";
        if (timeAsColumn)
        {
            graph.Input(time, "batch_size", 1);
        }
        else
        {
            graph.Input(time, "batch_size");
            time = graph.Node("Unsqueeze", "/Unsqueeze_output_0", [time, graph.Initializer("/Constant_output_0", [-1L], 1)]);
        }

        string h = graph.Node("Concat", "/Concat_output_0", ["input.1", time], OnnxGraphBuilder.IntAttribute("axis", 1));
        for (int i = 0; i < weights.Layers.Count; i++)
        {
            DenseLayer layer = weights.Layers[i];
            bool last = i == weights.Layers.Count - 1;
            string w = graph.Initializer($"net.{2 * i}.weight", layer.Weight, layer.Outputs, layer.Inputs);
            string b = graph.Initializer($"net.{2 * i}.bias", layer.Bias, layer.Outputs);
            h = graph.Node("Gemm", last ? "output" : $"/net/net.{2 * i}/Gemm_output_0", [h, w, b], OnnxGraphBuilder.IntAttribute("transB", 1));
            if (!last)
            {
                h = graph.Node("Relu", $"/net/net.{2 * i + 1}/Relu_output_0", [h]);
            }
        }

        graph.Output("output", "batch_size", weights.Dimension);
        return Wrap(graph);
    }

    private static ModelProto Wrap(OnnxGraphBuilder graph)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "pytorch", ProducerVersion = "2.11.0", Graph = graph.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model;
    }
}

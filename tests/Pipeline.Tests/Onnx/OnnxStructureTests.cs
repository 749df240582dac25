using FlowMatching.Contract;
using FlowMatching.Training;
using FlowMatching.Training.Network;
using FlowMatching.Training.Onnx;
using FlowMatching.Training.Onnx.Proto;
using Google.Protobuf;

namespace FlowMatching.Tests;

/// <summary>
/// The rules of the onnx checker that an exported graph could break: declared opset and IR, every node
/// input defined before use (graph input, initializer or an earlier node's output), unique names, typed
/// inputs and outputs with a symbolic batch, attributes with their types set.
/// </summary>
[TestClass]
public sealed class OnnxStructureTests
{
    [TestMethod]
    [DataRow(Activation.Relu, "none")]
    [DataRow(Activation.Gelu, "fourier:4")]
    [DataRow(Activation.Silu, "none")]
    public void ExportedGraphFollowsTheCheckersRules(Activation activation, string timeEmbedding)
    {
        var options = new TrainingOptions { Steps = 1, Batch = 8, Hidden = [8, 8], Activation = activation, TimeEmbedding = TimeEmbedding.Parse(timeEmbedding), ValidationBatch = 0 };
        using Mlp network = Models.Train(options);
        ModelProto model = ModelProto.Parser.ParseFrom(MlpExporter.ToModel(network.ToWeights(), Models.Metadata(options)).ToByteArray());

        Assert.AreEqual(8L, model.IrVersion);
        Assert.AreEqual("", model.OpsetImport.Single().Domain);
        Assert.AreEqual(17L, model.OpsetImport.Single().Version);

        GraphProto graph = model.Graph;
        var defined = new HashSet<string>(graph.Input.Select(i => i.Name));
        foreach (TensorProto initializer in graph.Initializer)
        {
            Assert.IsTrue(defined.Add(initializer.Name), $"{initializer.Name} defined twice");
            Assert.AreEqual(initializer.Dims.Aggregate(1L, (a, b) => a * b) * (initializer.DataType == 7 ? 8 : 4), initializer.RawData.Length, initializer.Name);
        }

        var nodeNames = new HashSet<string>();
        foreach (NodeProto node in graph.Node)
        {
            Assert.IsTrue(nodeNames.Add(node.Name), $"node name {node.Name} repeated");
            foreach (string input in node.Input)
            {
                Assert.IsTrue(defined.Contains(input), $"{node.Name} ({node.OpType}) reads {input} before it is defined");
            }

            foreach (string output in node.Output)
            {
                Assert.IsTrue(defined.Add(output), $"{output} assigned twice (graphs are single-assignment)");
            }

            Assert.IsTrue(node.Attribute.All(a => a.Type != AttributeProto.Types.AttributeType.Undefined), $"{node.Name} has an untyped attribute");
        }

        foreach (ValueInfoProto value in graph.Input.Concat(graph.Output))
        {
            Assert.AreEqual(1, value.Type.TensorType.ElemType, $"{value.Name} is not float");
            Assert.AreEqual("batch", value.Type.TensorType.Shape.Dim[0].DimParam, $"{value.Name}'s first dimension is not the symbolic batch");
            Assert.IsTrue(defined.Contains(value.Name));
        }

        Assert.IsTrue(graph.Node.All(n => n.Domain == ""), "only standard operators");
        Assert.IsTrue(graph.Node.Select(n => n.OpType).All(op => new[] { "Unsqueeze", "Concat", "Gemm", "Relu", "Sigmoid", "Mul", "Erf", "Add", "Sin", "Cos" }.Contains(op)));
    }

    [TestMethod]
    public void TrainerDeviceCudaIsAnErrorWithoutACudaBackend()
    {
        if (TorchSharp.torch.cuda.is_available())
        {
            Assert.Inconclusive("this machine has CUDA; the error path cannot be shown here");
        }

        using var files = new TestFiles();
        var (code, error) = CommandLine.Trainer("train", "--device", "cuda", "--steps", "1", "--out", files["m.onnx"]);
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "--device cuda");
        Assert.IsFalse(File.Exists(files["m.onnx"]));
    }
}

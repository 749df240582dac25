using FlowMatching.Contract;
using FlowMatching.Training.Network;
using FlowMatching.Training.Onnx.Proto;
using Google.Protobuf;

namespace FlowMatching.Training.Onnx;

/// <summary>
/// The model file every exporter writes: opset 17 / IR 8, which every ONNX Runtime since 1.13 and the onnx checker
/// read, with the model contract in metadata_props.
/// </summary>
public static class OnnxModelFile
{
    public const int Opset = 17;
    public const int IrVersion = 8;

    /// <summary>A graph as a model file at this opset and IR version, with the contract as metadata.</summary>
    public static ModelProto Model(GraphProto graph, ModelContract contract, string description)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = contract.Producer,
            ProducerVersion = contract.ProducerVersion,
            Domain = "flowmatching",
            ModelVersion = ModelContract.CurrentFormatVersion,
            DocString = description,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        model.MetadataProps.AddRange(contract.ToProperties().Select(p => new StringStringEntryProto { Key = p.Key, Value = p.Value }));
        return model;
    }
}

using FlowMatching.Contract;
using FlowMatching.Training.Onnx.Proto;

namespace FlowMatching.Training.Onnx;

/// <summary>A model file's metadata through its <see cref="ModelContract"/>: read, and extended by a rewrite.</summary>
public static class ModelMetadata
{
    /// <summary>The file's contract; null for a model without this project's metadata.</summary>
    public static ModelContract? Contract(this ModelProto model, string source) =>
        ModelContract.FromProperties(model.MetadataProps.ToDictionary(p => p.Key, p => p.Value), source);

    public static void Add(this ModelProto model, KeyValuePair<string, string> property) =>
        model.MetadataProps.Add(new StringStringEntryProto { Key = property.Key, Value = property.Value });
}

using FlowMatching.Contract;
using FlowMatching.Errors;
using FlowMatching.Interpolants;
using FlowMatching.Io;
using FlowMatching.Runtime.Models;
using FlowMatching.Runtime.Options;
using Google.Protobuf;

namespace FlowMatching.Runtime;

/// <summary>
/// Makes a model file from elsewhere self-describing: a copy whose metadata states what a <see cref="ModelDescription"/>
/// says (classes, null class, names, pixel range) and its interpolant, so it then loads like this project's own models.
/// </summary>
public static class ModelAnnotation
{
    // ModelProto.metadata_props: repeated StringStringEntryProto { key = 1; value = 2; }. Protobuf merges repeated
    // fields appended after the rest, so the copy is the original bytes, graph and weights untouched, plus entries.
    private const int MetadataPropsField = 14;

    /// <summary>Writes the annotated copy to <paramref name="output"/> (atomically) and returns the contract it now carries.</summary>
    public static ModelContract Annotate(string input, string output, ModelDescription description, InterpolantKind interpolant, bool overwrite)
    {
        FlowModelLoader.RequireFile(input);
        ModelContract contract;
        using (var session = FlowModelLoader.Open(input, ExecutionProvider.CpuOptions()))
        {
            if (ModelContract.FromProperties(session.ModelMetadata.CustomMetadataMap, input) is not null)
            {
                throw new ModelContractException(input, "already carries flowmatching metadata; only a model without it can be annotated");
            }

            string producer = session.ModelMetadata.ProducerName is { Length: > 0 } name ? name : "unknown";
            contract = description.ToContract(input, OnnxSignature.Resolve(session, input), interpolant, producer);
        }

        using var stream = new MemoryStream();
        using (FileStream original = File.OpenRead(input))
        {
            original.CopyTo(stream);
        }

        var coded = new CodedOutputStream(stream, leaveOpen: true);
        foreach ((string key, string value) in contract.ToProperties())
        {
            coded.WriteTag(MetadataPropsField, WireFormat.WireType.LengthDelimited);
            coded.WriteLength(CodedOutputStream.ComputeTagSize(1) + CodedOutputStream.ComputeStringSize(key) + CodedOutputStream.ComputeTagSize(2) + CodedOutputStream.ComputeStringSize(value));
            coded.WriteTag(1, WireFormat.WireType.LengthDelimited);
            coded.WriteString(key);
            coded.WriteTag(2, WireFormat.WireType.LengthDelimited);
            coded.WriteString(value);
        }

        coded.Flush();
        AtomicFile.WriteAllBytes(output, stream.GetBuffer().AsSpan(0, (int)stream.Length), overwrite);
        return contract;
    }
}

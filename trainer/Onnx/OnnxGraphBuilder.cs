using System.Runtime.InteropServices;
using FlowMatching.Training.Onnx.Proto;
using Google.Protobuf;

namespace FlowMatching.Training.Onnx;

/// <summary>Small helpers that append readable, named nodes, initializers and typed inputs to an ONNX graph.</summary>
public sealed class OnnxGraphBuilder(GraphProto graph)
{
    private const int FloatType = (int)TensorProto.Types.DataType.Float;

    public OnnxGraphBuilder(string name)
        : this(new GraphProto { Name = name })
    {
    }

    /// <summary>The graph being built (a new one, or one given to extend).</summary>
    public GraphProto Graph { get; } = graph;

    public string Initializer(string tensorName, ReadOnlySpan<float> values, params long[] dims)
    {
        var tensor = new TensorProto { Name = tensorName, DataType = FloatType, RawData = LittleEndianBytes(values) };
        tensor.Dims.AddRange(dims);
        Graph.Initializer.Add(tensor);
        return tensorName;
    }

    public string Initializer(string tensorName, ReadOnlySpan<long> values, params long[] dims)
    {
        var tensor = new TensorProto { Name = tensorName, DataType = (int)TensorProto.Types.DataType.Int64, RawData = LittleEndianBytes(values) };
        tensor.Dims.AddRange(dims);
        Graph.Initializer.Add(tensor);
        return tensorName;
    }

    /// <summary>An int8 initializer (quantized weights, zero points).</summary>
    public string Int8Initializer(string tensorName, ReadOnlySpan<sbyte> values, params long[] dims)
    {
        var tensor = new TensorProto { Name = tensorName, DataType = (int)TensorProto.Types.DataType.Int8, RawData = LittleEndianBytes(values) };
        tensor.Dims.AddRange(dims);
        Graph.Initializer.Add(tensor);
        return tensorName;
    }

    /// <summary>A uint8 initializer (activation zero points).</summary>
    public string Uint8Initializer(string tensorName, ReadOnlySpan<byte> values, params long[] dims)
    {
        var tensor = new TensorProto { Name = tensorName, DataType = (int)TensorProto.Types.DataType.Uint8, RawData = ByteString.CopyFrom(values) };
        tensor.Dims.AddRange(dims);
        Graph.Initializer.Add(tensor);
        return tensorName;
    }

    /// <summary>Adds a node with several outputs, named <paramref name="name"/>.0, .1, ...; returns their names.</summary>
    public string[] Node(string opType, string name, int outputs, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        string[] names = Enumerable.Range(0, outputs).Select(i => $"{name}.{i}").ToArray();
        var node = new NodeProto { OpType = opType, Name = name };
        node.Output.AddRange(names);
        node.Input.AddRange(inputs);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return names;
    }

    /// <summary>Adds a node with one output named <paramref name="output"/> and returns that name.</summary>
    public string Node(string opType, string output, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = output, Output = { output } };
        node.Input.AddRange(inputs);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>The values of a float initializer written as raw data (as every initializer of this project is).</summary>
    public static float[] Floats(TensorProto tensor) => MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();

    public static AttributeProto IntAttribute(string attributeName, long value) =>
        new() { Name = attributeName, I = value, Type = AttributeProto.Types.AttributeType.Int };

    public static AttributeProto IntsAttribute(string attributeName, params long[] values)
    {
        var attribute = new AttributeProto { Name = attributeName, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto FloatAttribute(string attributeName, float value) =>
        new() { Name = attributeName, F = value, Type = AttributeProto.Types.AttributeType.Float };

    public static AttributeProto StringAttribute(string attributeName, string value) =>
        new() { Name = attributeName, S = ByteString.CopyFromUtf8(value), Type = AttributeProto.Types.AttributeType.String };

    /// <summary>Declares a float tensor graph input; a string dimension is symbolic, a number is fixed.</summary>
    public void Input(string inputName, params object[] dims) => Graph.Input.Add(TypedValue(inputName, FloatType, dims));

    /// <summary>Declares an int64 tensor graph input (class labels).</summary>
    public void Int64Input(string inputName, params object[] dims) => Graph.Input.Add(TypedValue(inputName, (int)TensorProto.Types.DataType.Int64, dims));

    public void Output(string outputName, params object[] dims) => Graph.Output.Add(TypedValue(outputName, FloatType, dims));

    private static ValueInfoProto TypedValue(string valueName, int elementType, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (object dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                int size => new TensorShapeProto.Types.Dimension { DimValue = size },
                _ => throw new ArgumentException($"dimension {dim} is neither a name nor an int"),
            });
        }

        return new ValueInfoProto
        {
            Name = valueName,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } },
        };
    }

    // ONNX raw_data is little-endian; so is every platform .NET and TorchSharp run on, which this checks.
    private static ByteString LittleEndianBytes<T>(ReadOnlySpan<T> values) where T : struct
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX export needs a little-endian machine");
        }

        return ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
    }
}

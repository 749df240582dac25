using FlowMatching.Contract;
using FlowMatching.Errors;
using FlowMatching.Io;
using FlowMatching.Training.Onnx;
using FlowMatching.Training.Onnx.Proto;
using Google.Protobuf;
using TorchSharp;
using static TorchSharp.torch;

namespace FlowMatching.Training.Network;

/// <summary>
/// A network's starting weights from a model file this trainer wrote: every parameter from the initializer of its
/// name, of the same shape. A flow map's network may start from a velocity model of the same shape: the parts that
/// read the step size h, absent there, keep the values that make the map equal the velocity at every h (the MLP's
/// h columns zero; the U-Net's step MLP ends in zeros).
/// </summary>
public sealed class InitialWeights
{
    private readonly Dictionary<string, TensorProto> _tensors;

    private InitialWeights(string path, ModelContract contract, Dictionary<string, TensorProto> tensors)
    {
        Path = path;
        Contract = contract;
        _tensors = tensors;
    }

    public string Path { get; }

    public ModelContract Contract { get; }

    public static InitialWeights Read(string path)
    {
        InputFile.RequireReadable(path);
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelContractException(path, $"not an ONNX model ({e.Message})", inner: e);
        }

        ModelContract contract = model.Contract(path) ?? throw new ModelContractException(path, "carries no flowmatching metadata: only this trainer's models can start a network");
        if (contract.NetworkKind == NetworkKind.Classifier || contract.Sampler is not null || contract.Quantization is not null)
        {
            throw new ModelContractException(path, "is not a float velocity field or flow map written by this trainer (a classifier, sampler graph or int8 model)");
        }

        return new InitialWeights(path, contract, model.Graph.Initializer.ToDictionary(i => i.Name));
    }

    /// <summary>Copies the weights into <paramref name="network"/>; throws <see cref="ModelContractException"/> naming the first tensor that does not fit.</summary>
    public void Apply(IFieldNetwork network)
    {
        using var noGrad = no_grad();
        switch (network)
        {
            case UNet unet:
                foreach ((string name, TorchSharp.Modules.Parameter parameter) in unet.named_parameters())
                {
                    if (_tensors.ContainsKey(name) || !name.StartsWith("step", StringComparison.Ordinal))
                    {
                        Copy(name, parameter, parameter.shape);
                    }
                }

                break;
            case Mlp mlp:
                TorchSharp.Modules.Linear[] layers = [.. mlp.Layers];
                for (int i = 0; i < layers.Length; i++)
                {
                    Copy($"layer{i}.bias", layers[i].bias!, layers[i].bias!.shape);
                    long[] shape = layers[i].weight!.shape;
                    bool widerByStep = i == 0 && mlp.TakesStep && Contract.ModelKind == ModelKind.VelocityField;
                    if (widerByStep)
                    {
                        // The velocity model's columns are [x, features of t]; the map's h features follow them.
                        long width = shape[1] - mlp.TimeEmbedding.Width;
                        Tensor known = Values($"layer{i}.weight", [shape[0], width]);
                        layers[i].weight!.zero_();
                        layers[i].weight![.., ..(int)width].copy_(known);
                    }
                    else
                    {
                        Copy($"layer{i}.weight", layers[i].weight!, shape);
                    }
                }

                break;
            default:
                throw new ArgumentException($"no weights reader for {network.GetType().Name}", nameof(network));
        }
    }

    private void Copy(string name, Tensor parameter, long[] shape) => parameter.copy_(Values(name, shape).to(parameter.device));

    private Tensor Values(string name, long[] shape)
    {
        if (!_tensors.TryGetValue(name, out TensorProto? stored))
        {
            throw new ModelContractException(Path, $"has no tensor {name}: it is not a network of the shape asked for (its network: {Describe(Contract)})");
        }

        float[] values = OnnxGraphBuilder.Floats(stored);
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (values.Length != count)
        {
            throw new ModelContractException(Path, $"holds {name} as [{string.Join(", ", stored.Dims)}], the network asked for needs [{string.Join(", ", shape)}] (its network: {Describe(Contract)})");
        }

        return tensor(values, shape);
    }

    private static string Describe(ModelContract contract) =>
        $"{NetworkKinds.Names.Name(contract.NetworkKind)} {string.Join(",", contract.Hidden)}, {contract.TimeEmbedding} time embedding, {contract.Classes} classes";
}

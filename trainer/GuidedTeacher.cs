using FlowMatching.Contract;
using FlowMatching.Errors;
using FlowMatching.Training.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace FlowMatching.Training;

/// <summary>
/// A velocity model's field as a flow map's h = 0 target: the teacher network (built from its file's contract and
/// weights) at each row's own time and class, guided as v_null + w (v_c - v_null) for rows with a class at times in
/// the interval, so the map learns the guided flow and samples it in one evaluation a step.
/// </summary>
public sealed class GuidedTeacher : IDisposable
{
    private readonly IFieldNetwork _network;
    private readonly int _nullClass;

    public GuidedTeacher(string path, double? guidance, GuidanceInterval? interval, Device device)
    {
        var weights = InitialWeights.Read(path);
        ModelContract contract = weights.Contract;
        if (contract.ModelKind != ModelKind.VelocityField)
        {
            throw new ModelContractException(path, "is a flow map; a teacher is a velocity model", MetadataKeys.ModelKind);
        }

        _network = contract.NetworkKind == NetworkKind.UNet
            ? new UNet(new UNetConfig(contract.Hidden, contract.Shape[0], contract.Shape[1], contract.Shape[2], contract.Classes))
            : new Mlp(contract.Dimension, contract.Hidden, Activations.Names.TryParse(contract.Activation, out Activation activation)
                ? activation
                : throw new ModelContractException(path, $"names '{contract.Activation}', not one of {string.Join(", ", Activations.Names.Names)}", MetadataKeys.Activation), contract.TimeEmbedding);
        weights.Apply(_network);
        _network.Module.to(device);
        _network.Module.eval();
        _nullClass = contract.Classes;
        Contract = contract;
        Guidance = contract.Classes == 0 ? 1 : guidance ?? contract.Recommended?.Guidance ?? 1;
        Interval = contract.Classes == 0 ? null : interval ?? contract.Recommended?.Interval;
    }

    public ModelContract Contract { get; }

    public double Guidance { get; }

    public GuidanceInterval? Interval { get; }

    /// <summary>The teacher's (guided) velocity at [N, d] points, [N] times and classes, without gradients.</summary>
    public Tensor Velocity(Tensor x, Tensor t, Tensor classes)
    {
        using var noGrad = no_grad();
        if (Guidance == 1)
        {
            return _network.Velocity(x, t, classes);
        }

        long n = x.shape[0];
        Tensor both = _network.Velocity(cat([x, x]), cat([t, t]), cat([classes, full_like(classes, _nullClass)]));
        Tensor conditional = both[..(int)n], unconditional = both[(int)n..];
        Tensor guided = unconditional + Guidance * (conditional - unconditional);
        Tensor applies = classes.ne(_nullClass);
        if (Interval is { } interval)
        {
            applies = applies.logical_and(t.ge(interval.From)).logical_and(t.le(interval.To));
        }

        return where(applies.unsqueeze(1), guided, conditional);
    }

    public void Dispose() => _network.Dispose();
}

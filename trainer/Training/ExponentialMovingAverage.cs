using FlowMatching.Training.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace FlowMatching.Training.Training;

/// <summary>
/// An exponential moving average of a network's weights, theta_ema = decay theta_ema + (1 - decay) theta,
/// kept in a second network of the same shape so that it can be evaluated and exported as it is
/// (the caller owns <see cref="Average"/>).
/// </summary>
public sealed class ExponentialMovingAverage
{
    private readonly double _decay;

    public ExponentialMovingAverage(VelocityNetwork source, double decay, Device device)
    {
        _decay = decay;
        Average = new VelocityNetwork(source.Dimension, source.Hidden, source.ActivationName, source.TimeEmbedding);
        Average.to(device);
        using var noGrad = no_grad();
        foreach (var (average, current) in Average.parameters().Zip(source.parameters()))
        {
            average.copy_(current);
        }
    }

    public VelocityNetwork Average { get; }

    public void Update(VelocityNetwork source)
    {
        using var noGrad = no_grad();
        foreach (var (average, current) in Average.parameters().Zip(source.parameters()))
        {
            average.mul_(_decay).add_(current, alpha: 1 - _decay);
        }
    }
}

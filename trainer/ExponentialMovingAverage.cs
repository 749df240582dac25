using FlowMatching.Training.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace FlowMatching.Training;

/// <summary>
/// An exponential moving average of a network's weights, theta_ema = decay theta_ema + (1 - decay) theta,
/// kept in a second network of the same shape so that it can be evaluated and exported as it is
/// (the caller owns <see cref="Average"/>).
/// </summary>
public sealed class ExponentialMovingAverage
{
    private readonly double _decay;

    public ExponentialMovingAverage(IFieldNetwork source, double decay, Device device)
    {
        _decay = decay;
        Average = source.CreateSibling();
        Average.Module.to(device);
        using var noGrad = no_grad();
        foreach (var (average, current) in Average.Module.parameters().Zip(source.Module.parameters()))
        {
            average.copy_(current);
        }
    }

    public IFieldNetwork Average { get; }

    public void Update(IFieldNetwork source)
    {
        using var noGrad = no_grad();
        foreach (var (average, current) in Average.Module.parameters().Zip(source.Module.parameters()))
        {
            average.mul_(_decay).add_(current, alpha: 1 - _decay);
        }
    }
}

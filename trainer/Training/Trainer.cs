using System.Diagnostics;
using FlowMatching.Distributions;
using FlowMatching.Interpolants;
using FlowMatching.Training.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace FlowMatching.Training.Training;

/// <summary>The loss diverged: the run stops, naming the step.</summary>
public sealed class TrainingDivergedException(int step, double loss)
    : Exception($"the loss became {loss} at step {step}; lower --lr or check the data");

/// <summary>
/// Fits a <see cref="VelocityNetwork"/> by minimising <see cref="InterpolantLoss"/> with Adam and a
/// step learning-rate schedule, as the tutorial does.
/// </summary>
public sealed class Trainer(TrainingOptions options, IDistribution target)
{
    public VelocityNetwork Train(Device device, Action<TrainingStep>? onStep = null)
    {
        random.manual_seed(options.Seed);
        var network = new VelocityNetwork(target.Dimension, options.Hidden, options.Activation);
        network.to(device);
        IInterpolant interpolant = InterpolantCatalog.Parse(options.Interpolant);
        var sampler = new InterpolantBatchSampler(new StandardNormal(target.Dimension), target, interpolant, options.Seed);
        InterpolantBatch? validation = options.ValidationBatch > 0
            ? new InterpolantBatchSampler(new StandardNormal(target.Dimension), target, interpolant, options.Seed, streamOffset: 100).Draw(options.ValidationBatch)
            : null;

        ExponentialMovingAverage? ema = options.EmaDecay > 0 ? new ExponentialMovingAverage(network, options.EmaDecay, device) : null;
        var optimizer = optim.Adam(network.parameters(), options.LearningRate);
        var scheduler = optim.lr_scheduler.StepLR(optimizer, options.LearningRateStep, options.LearningRateGamma);
        for (int step = 1; step <= options.Steps; step++)
        {
            using DisposeScope scope = NewDisposeScope();
            double learningRate = optimizer.ParamGroups.First().LearningRate;
            optimizer.zero_grad();
            Tensor loss = BatchLoss(network, sampler.Draw(options.Batch), device);
            loss.backward();
            optimizer.step();
            scheduler.step();
            ema?.Update(network);

            double value = loss.item<float>();
            if (!double.IsFinite(value))
            {
                throw new TrainingDivergedException(step, value);
            }

            double? validationLoss = validation is not null && (step % options.ValidationEvery == 0 || step == options.Steps)
                ? ValidationLoss(ema?.Average ?? network, validation, device)
                : null;
            onStep?.Invoke(new TrainingStep(step, value, learningRate, validationLoss));
        }

        if (ema is null)
        {
            return network;
        }

        network.Dispose();
        return ema.Average;
    }

    private static Tensor BatchLoss(VelocityNetwork network, InterpolantBatch batch, Device device)
    {
        long n = batch.Times.Length;
        Tensor x = tensor(batch.Points, [n, batch.Dimension], device: device);
        Tensor t = tensor(batch.Times, [n], device: device);
        Tensor dx = tensor(batch.PointVelocities, [n, batch.Dimension], device: device);
        return InterpolantLoss.Compute(network.forward(x, t), dx);
    }

    private static double ValidationLoss(VelocityNetwork network, InterpolantBatch batch, Device device)
    {
        using var noGrad = no_grad();
        return BatchLoss(network, batch, device).item<float>();
    }
}

using FlowMatching.Randomness;
using FlowMatching.Training.Network;
using static TorchSharp.torch;

namespace FlowMatching.Training;

/// <summary>
/// The shortcut objective for a flow map u(x, t, h) (Frans et al. 2024, "One Step Diffusion via Shortcut Models"). Most
/// rows of a batch learn the velocity, u(I_t, t, 0) against dI_t/dt (or a teacher's field); the rest learn a step
/// size s = 2^-j (j uniform in 0..log2 of the finest steps) at a time t = i s on that step's own grid: its target is
/// the mean of two steps of s/2 by the network itself (without gradients), u1 = u(x, t, s/2) and u2 = u(x + s/2 u1,
/// t + s/2, s/2), so that one step of s goes where two of s/2 go; the finest step's halves use the velocity (h = 0).
/// The loss is 0.5 |u - target|^2 summed over the coordinates, averaged over the rows.
/// </summary>
public sealed class ShortcutObjective(FlowMapTraining settings, GuidedTeacher? teacher, long seed)
{
    private readonly RandomStream _levels = new((ulong)seed, Streams.ShortcutLevels);
    private readonly RandomStream _times = new((ulong)seed, Streams.ShortcutTimes);

    /// <summary>The positions of its streams, kept in checkpoints after the batch sampler's.</summary>
    public ulong[] State
    {
        get => [_levels.Position, _times.Position];
        set => (_levels.Position, _times.Position) = (value[0], value[1]);
    }

    public Tensor Loss(IFieldNetwork network, InterpolantBatchSampler sampler, int batch, Device device)
    {
        int consistent = Math.Clamp((int)Math.Round(batch * settings.Share), 0, batch);
        InterpolantBatch flow = sampler.Draw(batch - consistent);
        (float[] times, float[] steps) = DrawSteps(consistent);
        InterpolantBatch shortcut = sampler.Draw(consistent, times);
        (Tensor x, Tensor t, Tensor y, Tensor dx) = flow.ToTensors(device);
        Tensor velocityTarget = teacher?.Velocity(x, t, y) ?? dx;
        (Tensor xs, Tensor ts, Tensor ys, _) = shortcut.ToTensors(device);
        Tensor s = tensor(steps, [consistent], device: device);
        Tensor shortcutTarget = ShortcutTarget(network, xs, ts, ys, s);
        Tensor prediction = network.Velocity(cat([x, xs]), cat([t, ts]), cat([y, ys]), cat([zeros_like(t), s]));
        return 0.5 * (prediction - cat([velocityTarget, shortcutTarget])).pow(2).sum(1).mean();
    }

    /// <summary>The mean of two half steps of the network itself: the target of a step of size <paramref name="s"/>.</summary>
    public Tensor ShortcutTarget(IFieldNetwork network, Tensor x, Tensor t, Tensor y, Tensor s)
    {
        using var noGrad = no_grad();
        Tensor half = s / 2;
        // The finest step's halves are velocity steps.
        Tensor inner = where(s.le(1.0 / settings.FinestSteps * 1.0001), zeros_like(s), half);
        Tensor first = network.Velocity(x, t, y, inner);
        Tensor second = network.Velocity(x + half.unsqueeze(1) * first, t + half, y, inner);
        return (first + second) / 2;
    }

    // Each row's step size 2^-j and a time on that step's grid, t = i 2^-j with i < 2^j.
    private (float[] Times, float[] Steps) DrawSteps(int count)
    {
        var times = new float[count];
        var steps = new float[count];
        for (int i = 0; i < count; i++)
        {
            int level = _levels.NextInt(settings.Levels);
            int cells = 1 << level;
            steps[i] = 1f / cells;
            times[i] = (float)_times.NextInt(cells) / cells;
        }

        return (times, steps);
    }
}

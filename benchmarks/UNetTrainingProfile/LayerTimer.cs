using System.Diagnostics;
using FlowMatching.Training.Network;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>Single layers of the U-Net at its shapes, forward and backward, median of 7 after 2 warm-ups.</summary>
internal static class LayerTimer
{
    public static void Run(int batch)
    {
        foreach ((string name, long[] shape, Func<Tensor, Tensor> layer) in Layers())
        {
            (double forward, double backward) = Time(shape, layer, batch);
            Console.WriteLine($"  {name,-36} {forward,8:F2} {backward,8:F2}");
        }
    }

    private static IEnumerable<(string, long[], Func<Tensor, Tensor>)> Layers()
    {
        foreach ((int c, int s) in new[] { (32, 28), (64, 14), (64, 7) })
        {
            var conv = nn.Conv2d(c, c, 3, padding: 1);
            yield return ($"conv3x3 {c}->{c} {s}x{s}", [c, s, s], x => Convolution.Apply(conv, x));
            var norm = ResidualBlock.Norm(8, c);
            yield return ($"groupnorm 8 {c} {s}x{s}", [c, s, s], x => norm.forward(x));
            yield return ($"silu {c} {s}x{s}", [c, s, s], x => nn.functional.silu(x));
        }

        var first = nn.Conv2d(1, 32, 3, padding: 1);
        yield return ("conv3x3 1->32 28x28 (channels-last)", [1, 28, 28], x => Convolution.Apply(first, x));
        var last = nn.Conv2d(32, 1, 3, padding: 1);
        yield return ("conv3x3 32->1 28x28 (channels-last)", [32, 28, 28], x => Convolution.Apply(last, x));
        yield return ("conv3x3 1->32 28x28 (plain)", [1, 28, 28], x => first.forward(x));
        yield return ("conv3x3 32->1 28x28 (as 32->16)", [32, 28, 28], x => nn.functional.conv2d(x, cat([last.weight!, zeros(15, 32, 3, 3)]), cat([last.bias!, zeros(15)]), padding: [1, 1])[.., ..1]);
        var down = nn.Conv2d(32, 32, 3, stride: 2, padding: 1);
        yield return ("conv3x3 s2 32 28->14", [32, 28, 28], x => Convolution.Apply(down, x));
        var upConv = nn.Conv2d(96, 32, 3, padding: 1);
        yield return ("conv3x3 96->32 28x28", [96, 28, 28], x => Convolution.Apply(upConv, x));
        var skip = nn.Conv2d(96, 32, 1);
        yield return ("conv1x1 96->32 28x28", [96, 28, 28], x => Convolution.Apply(skip, x));
        yield return ("upsample nearest 64 14->28", [64, 14, 14], x => nn.functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest));
        yield return ("cat 64+32 28x28", [64, 28, 28], x => cat([x, x[.., ..32]], 1));
    }

    private static (double Forward, double Backward) Time(long[] shape, Func<Tensor, Tensor> layer, int batch)
    {
        var forward = new List<double>();
        var backward = new List<double>();
        for (int i = 0; i < 9; i++)
        {
            using DisposeScope scope = NewDisposeScope();
            Tensor x = randn([batch, .. shape]).requires_grad_();
            var clock = Stopwatch.StartNew();
            Tensor y = layer(x);
            double f = clock.Elapsed.TotalMilliseconds;
            y.backward([ones_like(y)]);
            double b = clock.Elapsed.TotalMilliseconds - f;
            if (i >= 2)
            {
                forward.Add(f);
                backward.Add(b);
            }
        }

        return (Median(forward), Median(backward));
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}

using FlowMatching.Training.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace FlowMatching.Tests;

/// <summary>
/// The U-Net's parameter gradients in float32 match those in float64 (which the CPU's oneDNN kernels do not
/// handle) and come out the same on every backward pass: libtorch's oneDNN on AVX-512 got the gradients
/// behind a convolution with a channel count that is not a multiple of 16 wrong (garbage, NaN).
/// </summary>
[TestClass]
public sealed class UNetGradientTests
{
    [TestMethod]
    [DataRow("8,16", 8, 8)]
    [DataRow("32,64,64", 28, 64)]
    public void GradientsAreRightAndRepeatable(string channels, int size, int batch)
    {
        random.manual_seed(5);
        var config = new UNetConfig(channels.Split(',').Select(int.Parse).ToArray(), 1, size, size, 10);
        using var network = new UNet(config);
        Tensor x = randn(batch, 1, size, size);
        Tensor t = rand(batch);
        Tensor y = randint(0, 11, batch);
        Tensor weights = randn(batch, 1, size, size);

        Dictionary<string, float[]> first = Gradients(network, x, t, y, weights);
        Dictionary<string, float[]> second = Gradients(network, x, t, y, weights);
        network.to(float64);
        Dictionary<string, float[]> reference = Gradients(network, x.to(float64), t.to(float64), y, weights.to(float64));

        foreach ((string name, float[] expected) in reference)
        {
            Assert.AreEqual(0, first[name].Count(g => !float.IsFinite(g)), $"non-finite gradients of {name}");
            CollectionAssert.AreEqual(first[name], second[name], $"two backward passes of the same batch differ in {name}");
            double scale = expected.Max(Math.Abs);
            double worst = first[name].Zip(expected, (a, b) => Math.Abs(a - b)).Max();
            Assert.IsTrue(worst <= (1e-3 * scale) + 1e-5, $"float32 gradient of {name} is off by {worst:G3} (largest {scale:G3})");
        }
    }

    private static Dictionary<string, float[]> Gradients(UNet network, Tensor x, Tensor t, Tensor y, Tensor weights)
    {
        network.zero_grad();
        using Tensor loss = (network.forward(x, t, y) * weights).sum();
        loss.backward();
        return network.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.to(float32).data<float>().ToArray());
    }
}

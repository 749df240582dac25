using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FlowMatching.Training.Network;

/// <summary>
/// A small CNN image classifier whose penultimate layer serves as the feature space of the image-quality
/// statistics (the usual stand-in for Inception features on 28x28 data): two 3x3 convolutions with ReLU and
/// 2x2 max pooling, a ReLU dense layer of <see cref="FeatureWidth"/> features, then the class logits.
/// </summary>
public sealed class Classifier : nn.Module<Tensor, (Tensor Logits, Tensor Features)>
{
    public const int FeatureWidth = 128;

    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Linear features;
    private readonly Linear logits;

    public Classifier(int channels, int height, int width, int classes) : base(nameof(Classifier))
    {
        Channels = channels;
        Height = height;
        Width = width;
        Classes = classes;
        conv1 = nn.Conv2d(channels, 32, 3, padding: 1);
        conv2 = nn.Conv2d(32, 64, 3, padding: 1);
        features = nn.Linear(64 * (height / 4) * (width / 4), FeatureWidth);
        logits = nn.Linear(FeatureWidth, classes);
        RegisterComponents();
    }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public int Classes { get; }

    /// <param name="x">[N, C, H, W] images in [-1, 1].</param>
    public override (Tensor Logits, Tensor Features) forward(Tensor x)
    {
        Tensor h = nn.functional.max_pool2d(nn.functional.relu(conv1.forward(x)), 2);
        h = nn.functional.max_pool2d(nn.functional.relu(conv2.forward(h)), 2);
        Tensor f = nn.functional.relu(features.forward(h.flatten(1)));
        return (logits.forward(f), f);
    }

    public IReadOnlyDictionary<string, (float[] Values, long[] Shape)> Parameters() =>
        named_parameters().ToDictionary(p => p.name, p => (p.parameter.detach().cpu().contiguous().data<float>().ToArray(), p.parameter.shape));
}

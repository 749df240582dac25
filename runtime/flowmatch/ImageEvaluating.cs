using System.Text;
using FlowMatching.Distributions;
using FlowMatching.Io;
using FlowMatching.Metrics;
using FlowMatching.Runtime.Models;

namespace FlowMatching.Runtime.Cli;

/// <summary>`flowmatch evaluate` on image samples (.npy, with NAME.labels.npy when conditional), in a classifier's feature space.</summary>
public static class ImageEvaluating
{
    public static ImageEvaluation Measure(string samplesPath, string target, string? folder, string classifierPath, int trainCount, bool skipBadImages, CancellationToken cancellation)
    {
        (long[] shape, float[] images) = NpyFile.ReadFloat32(samplesPath);
        string labelsPath = samplesPath[..^".npy".Length] + ".labels.npy";
        long[]? asked = File.Exists(labelsPath) ? NpyFile.ReadInt64(labelsPath).Values : null;
        if (shape.Length != 4)
        {
            throw new UserInputException($"{samplesPath}: shape ({string.Join(", ", shape)}) is not images [N, C, H, W]");
        }

        if (shape[0] == 0)
        {
            throw new UserInputException($"{samplesPath}: holds no images");
        }

        int bad = Array.FindIndex(images, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            throw new UserInputException($"{samplesPath}: image {bad / (images.Length / shape[0])} has a pixel that is not finite ({images[bad]})");
        }

        using var classifier = new FeatureClassifier(classifierPath);
        if (!shape[1..].Select(s => (int)s).SequenceEqual(classifier.Shape))
        {
            throw new UserInputException($"{samplesPath}: images of shape ({string.Join(", ", shape[1..])}), the classifier takes ({string.Join(", ", classifier.Shape)})");
        }

        if (asked is not null && asked.Length != shape[0])
        {
            throw new UserInputException($"{labelsPath}: {asked.Length} labels for {shape[0]} images");
        }

        // A folder is read into the samples' shape: their channels, and their side when square.
        var reading = new ImageFolderOptions(shape[1] == 3 ? ImageColor.Rgb : ImageColor.Grey, shape[2] == shape[3] && shape[2] <= ImageFolderOptions.MaxSize ? (int)shape[2] : null, skipBadImages);
        ImageDataset test = ImageTargets.Load(target, folder, test: true, reading, cancellation);
        if (!new long[] { test.Channels, test.Height, test.Width }.SequenceEqual(shape[1..]))
        {
            throw new UserInputException($"--target {target}: images of shape ({test.Channels}, {test.Height}, {test.Width}), the samples {samplesPath} ({string.Join(", ", shape[1..])})");
        }

        if (asked?.Where(c => c < 0 || c >= test.ClassNames.Count).Cast<long?>().FirstOrDefault() is { } outside)
        {
            throw new UserInputException($"{labelsPath}: class {outside} is not one of the target's classes (0 to {test.ClassNames.Count - 1}; the null class is not a class asked for)");
        }

        ImageDataset train = ImageTargets.Load(target, folder, reading: reading, cancellation: cancellation);
        float[] Flat(ImageDataset set, int count) => Enumerable.Range(0, count).SelectMany(i => set.Image(i).ToArray()).ToArray();
        (long[] predicted, float[][] sampleFeatures) = classifier.Classify(images, cancellation);
        float[][] testFeatures = classifier.Classify(Flat(test, test.Count), cancellation).Features;
        float[][] trainFeatures = classifier.Classify(Flat(train, Math.Min(trainCount, train.Count)), cancellation).Features;
        return ImageEvaluation.Measure(sampleFeatures, predicted, asked, testFeatures, trainFeatures, test.ClassNames.Count);
    }

    public static string Summary(string source, ImageEvaluation e)
    {
        var text = new StringBuilder();
        text.AppendLine($"{source}: {e.Count} images in the classifier's feature space");
        text.AppendLine($"  Fréchet distance to the test set {e.Frechet:F3} (as many training images: {e.FrechetFloor:F3}; ratio {e.FrechetRatio:F2})");
        text.AppendLine($"  predicted classes: smallest share {e.SmallestClassShare:P1}, largest {e.LargestClassShare:P1} ({string.Join(" ", e.ClassShares.Select(s => s.ToString("P0")))})");
        if (e.ConditionalAccuracy is { } accuracy)
        {
            text.AppendLine($"  classified as the class asked for: {accuracy:P1}");
        }

        text.AppendLine($"  precision {e.Precision:P1}, recall {e.Recall:P1} (3-nearest-neighbour manifolds)");
        text.AppendLine($"  memorisation {e.Memorisation:P2} (nearest training image closer than half the 1st percentile of the test images' distances)");
        return text.ToString();
    }
}

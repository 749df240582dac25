using FlowMatching.Errors;

namespace FlowMatching.Metrics;

/// <summary>
/// How image samples compare with real images in a classifier's feature space: the Fréchet distance to the
/// test set beside the same distance for as many training images (the floor real data scores) and their
/// ratio; the predicted-class shares and, for conditional samples, how often the class asked for is the class
/// seen; precision and recall on 3-nearest-neighbour manifolds; and the memorisation rate (the share of
/// samples whose nearest training image, in feature space, is closer than half the 1st percentile of the test
/// images' nearest-training distances).
/// </summary>
public sealed record ImageEvaluation(
    int Count,
    double Frechet,
    double FrechetFloor,
    double[] ClassShares,
    double? ConditionalAccuracy,
    double Precision,
    double Recall,
    double Memorisation)
{
    public double FrechetRatio => Frechet / FrechetFloor;

    public double SmallestClassShare => ClassShares.Min();

    public double LargestClassShare => ClassShares.Max();

    public const int MinimumTestImages = 10;

    /// <param name="samples">Features of the samples.</param>
    /// <param name="predicted">The classifier's class for each sample.</param>
    /// <param name="asked">The class each sample was drawn for; null for unconditional samples.</param>
    /// <param name="test">Features of the test images.</param>
    /// <param name="train">Features of training images: as many as the samples form the floor, all of them the memorisation reference.</param>
    /// <param name="classes">The number of classes.</param>
    public static ImageEvaluation Measure(IReadOnlyList<float[]> samples, long[] predicted, long[]? asked, IReadOnlyList<float[]> test, IReadOnlyList<float[]> train, int classes)
    {
        if (samples.Count < 10 || train.Count < samples.Count)
        {
            throw new InvalidSettingException("Samples", $"the image statistics need at least 10 samples and as many training images, found {samples.Count} and {train.Count}");
        }

        if (test.Count < MinimumTestImages)
        {
            throw new InvalidSettingException("Target", $"the image statistics need at least {MinimumTestImages} test images, and the target's test split holds {test.Count}");
        }

        GaussianFit reference = GaussianFit.Of(test);
        double frechet = FeatureStatistics.FrechetDistance(GaussianFit.Of(samples), reference);
        double floor = FeatureStatistics.FrechetDistance(GaussianFit.Of(train.Take(samples.Count).ToArray()), reference);
        double[] shares = Enumerable.Range(0, classes).Select(c => predicted.Count(p => p == c) / (double)predicted.Length).ToArray();
        double? accuracy = asked is null ? null : predicted.Where((p, i) => p == asked[i]).Count() / (double)predicted.Length;
        (double precision, double recall) = FeatureStatistics.PrecisionRecall(test.Take(samples.Count).ToArray(), samples);
        double memorisation = FeatureStatistics.MemorisationRate(samples, train, test.Take(Math.Min(test.Count, 2000)).ToArray());
        return new ImageEvaluation(samples.Count, frechet, floor, shares, accuracy, precision, recall, memorisation);
    }
}

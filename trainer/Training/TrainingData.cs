using FlowMatching.Distributions;

namespace FlowMatching.Training.Training;

/// <summary>
/// What a run trains on: the target, standardised column by column when it is the user's CSV data
/// (the mean and std go into the model contract so the runtime can map back). The fingerprint, a SHA-256
/// of the user's points, lets a resumed run refuse data that changed since its checkpoint.
/// </summary>
public sealed record TrainingData(IDistribution Target, Standardization? Scaling, string? Fingerprint)
{
    public static TrainingData Load(string target, string? dataFolder = null)
    {
        if (ImageTargets.IsImageTarget(target))
        {
            ImageDataset images = ImageTargets.Load(target, dataFolder);
            byte[] all = new byte[images.Count * images.Dimension * sizeof(float)];
            for (int i = 0; i < images.Count; i++)
            {
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(images.Image(i)).CopyTo(all.AsSpan(i * images.Dimension * sizeof(float)));
            }

            return new TrainingData(images, null, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(all)));
        }

        IDistribution distribution = TargetCatalog.Parse(target);
        if (distribution is not EmpiricalDistribution data)
        {
            return new TrainingData(distribution, null, null);
        }

        Standardization scaling = Standardization.Fit(data.Points, target[TargetCatalog.CsvPrefix.Length..]);
        byte[] raw = System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.Points.Values.AsSpan()).ToArray();
        string fingerprint = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(raw));
        return new TrainingData(new EmpiricalDistribution(data.Name, scaling.Apply(data.Points)), scaling, fingerprint);
    }
}

using System.Runtime.InteropServices;
using System.Security.Cryptography;
using FlowMatching.Distributions;
using FlowMatching.Errors;
using FlowMatching.Io;

namespace FlowMatching.Training;

/// <summary>
/// What a run trains on: the target, standardised column by column when it is the user's CSV data
/// (the mean and std go into the model contract so the runtime can map back). The fingerprint, a SHA-256
/// of the user's points or pixels (an image folder's own, class by class), lets a resumed run refuse data that changed
/// since its checkpoint.
/// </summary>
public sealed record TrainingData(IDistribution Target, Standardization? Scaling, string? Fingerprint)
{
    /// <summary>Refuses a checkpoint written on other data than this (its fingerprint differs).</summary>
    public void RequireSameAs(CheckpointHeader header, string checkpoint, string consequence)
    {
        if (header.DataFingerprint != Fingerprint)
        {
            string what = header.DataFingerprint is { } before && Fingerprint is { } after && FolderFingerprint.Changes(before, after) is { } changes ? $" ({changes})" : "";
            throw new DataFormatException(checkpoint, $"the training data {header.Options.Target} changed since this checkpoint was written{what}; {consequence}");
        }
    }

    /// <summary>The run's data: the teacher's couplings for reflow, else the target.</summary>
    public static TrainingData Load(TrainingOptions options, CancellationToken cancellation = default)
    {
        if (options.Teacher is not { } teacher)
        {
            return Load(options.Target, options.DataFolder, options.FolderReading, cancellation);
        }

        CoupledPairs pairs = CoupledPairs.FromTeacher(teacher, options.Seed, cancellation);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(MemoryMarshal.AsBytes(pairs.Noise.AsSpan()));
        hash.AppendData(MemoryMarshal.AsBytes(pairs.Data.AsSpan()));
        return new TrainingData(pairs, null, Convert.ToHexString(hash.GetHashAndReset()));
    }

    public static TrainingData Load(string target, string? dataFolder = null, ImageFolderOptions? folderReading = null, CancellationToken cancellation = default)
    {
        if (ImageTargets.IsImageTarget(target))
        {
            ImageDataset images = ImageTargets.Load(target, dataFolder, reading: folderReading, cancellation: cancellation);
            if (images.Fingerprint is { } folderFingerprint)
            {
                return new TrainingData(images, null, folderFingerprint);
            }

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            for (int i = 0; i < images.Count; i++)
            {
                hash.AppendData(MemoryMarshal.AsBytes(images.Image(i)));
            }

            return new TrainingData(images, null, Convert.ToHexString(hash.GetHashAndReset()));
        }

        IDistribution distribution = TargetCatalog.Parse(target);
        if (distribution is not EmpiricalDistribution data)
        {
            return new TrainingData(distribution, null, null);
        }

        Standardization scaling = Standardization.Fit(data.Points, target[TargetCatalog.CsvPrefix.Length..]);
        string fingerprint = Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(data.Points.Values.AsSpan())));
        return new TrainingData(new EmpiricalDistribution(data.Name, scaling.Apply(data.Points)), scaling, fingerprint);
    }
}

using FlowMatching.Errors;
using FlowMatching.Io;
using FlowMatching.Randomness;

namespace FlowMatching.Distributions;

/// <summary>
/// The image targets: Fashion-MNIST from Debian's dataset-fashion-mnist package, any IDX image set, or an image folder.
/// A folder's test split is one image in ten of each class (the 10th, 20th, ... in name order), held out of training;
/// each split is in a fixed shuffled order.
/// </summary>
public static class ImageTargets
{
    public const string FashionMnist = "fashion-mnist";
    public const string IdxPrefix = "idx:";
    public const string FolderPrefix = "folder:";
    public const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";
    public const string InstallCommand = "apt-get install dataset-fashion-mnist";

    public static IReadOnlyList<string> FashionMnistClasses { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The image targets as help and errors name them.</summary>
    public static IReadOnlyList<string> Names { get; } = [FashionMnist, "idx:IMAGES[,LABELS]", "folder:DIR"];

    public static bool IsImageTarget(string name) =>
        name == FashionMnist || name.StartsWith(IdxPrefix, StringComparison.Ordinal) || name.StartsWith(FolderPrefix, StringComparison.Ordinal);

    public const int HeldOutEvery = 10;

    /// <summary>fashion-mnist (training or test split, from <paramref name="folder"/>), idx:IMAGES[,LABELS], or folder:DIR read as <paramref name="reading"/> says.</summary>
    public static ImageDataset Load(string name, string? folder = null, bool test = false, ImageFolderOptions? reading = null, CancellationToken cancellation = default)
    {
        if (name == FashionMnist)
        {
            string root = folder ?? FashionMnistFolder;
            string split = test ? "t10k" : "train";
            string images = Path.Combine(root, $"{split}-images-idx3-ubyte.gz");
            string labels = Path.Combine(root, $"{split}-labels-idx1-ubyte.gz");
            foreach (string file in new[] { images, labels })
            {
                if (!File.Exists(file))
                {
                    throw new DataFormatException(file, $"no such file; Fashion-MNIST is Debian's package: {InstallCommand}");
                }
            }

            byte[] read = IdxFile.ReadLabels(labels);
            int outside = Array.FindIndex(read, c => c >= FashionMnistClasses.Count);
            if (outside >= 0)
            {
                throw new DataFormatException(labels, $"label {read[outside]} of item {outside} is not one of Fashion-MNIST's {FashionMnistClasses.Count} classes");
            }

            return new ImageDataset(FashionMnist, IdxFile.ReadImages(images), read, FashionMnistClasses, labels);
        }

        if (name.StartsWith(FolderPrefix, StringComparison.Ordinal))
        {
            string dir = name[FolderPrefix.Length..];
            if (dir.Trim().Length == 0)
            {
                throw new InvalidSettingException("Target", $"'{name}' names no folder: folder:DIR");
            }

            reading ??= new ImageFolderOptions();
            ImageFolderContents contents = ImageFolder.Read(dir, reading, cancellation);
            // Shuffled once, the same way every time, because consumers take "the first N" as a fair subset (the
            // evaluation's floor and memorisation reference), as they may of an IDX file; a folder lists class by class.
            ulong key = CounterRandom.Key(0, Streams.FolderOrder);
            int[] split = [.. Split(contents.Labels, contents.Images.Count, test).OrderBy(i => CounterRandom.Uniform(key, (ulong)i)).ThenBy(i => i)];
            if (split.Length == 0)
            {
                throw new DataFormatException(dir, $"has no held-out test images: one image in {HeldOutEvery} of each class is the test split, so a class needs {HeldOutEvery} images to give one");
            }

            return new ImageDataset(name, contents.Images.Select(split), contents.Labels is { } l ? [.. split.Select(i => l[i])] : null,
                contents.Labels is null ? ["all"] : contents.ClassNames, dir)
            {
                Fingerprint = contents.Fingerprint,
                Description = $"{name}: {contents.Describe(reading)}; {(test ? "test split" : "training split")} {split.Length} images",
            };
        }

        string[] paths = name[IdxPrefix.Length..].Split(',', 2);
        if (paths.Any(p => p.Trim().Length == 0))
        {
            throw new InvalidSettingException("Target", $"'{name}' names no file: idx:IMAGES or idx:IMAGES,LABELS");
        }

        ImagePixels set = IdxFile.ReadImages(paths[0]);
        byte[]? classes = paths.Length > 1 ? IdxFile.ReadLabels(paths[1]) : null;
        int count = classes is null ? 1 : classes.Max() + 1;
        return new ImageDataset(name, set, classes, Enumerable.Range(0, count).Select(c => $"class {c}").ToArray(), paths.Length > 1 ? paths[1] : paths[0]);
    }

    // The 10th, 20th, ... image of each class (in name order) for the test split; the others for training.
    private static int[] Split(byte[]? labels, int count, bool test)
    {
        var seen = new Dictionary<int, int>();
        return [.. Enumerable.Range(0, count).Where(i =>
        {
            int c = labels?[i] ?? 0;
            int k = seen[c] = seen.GetValueOrDefault(c) + 1;
            return (k % HeldOutEvery == 0) == test;
        })];
    }
}

using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Io;

namespace FlowMatching.Training.Cli;

/// <summary>The flags that say how a folder:DIR target is read, shared by train and classifier.</summary>
public sealed class ImageFolderFlags
{
    public Option<ImageColor> Color { get; } = CliOptions.Choice("--color", "folder:DIR images as grey or rgb (auto: rgb when any image has colour)", ImageColors.Names, ImageColor.Auto);

    public Option<int?> Size { get; } = CliOptions.Option<int?>("--image-size", "resize folder:DIR images' shorter side to S and centre-crop SxS (default: images must share one size)");

    public Option<bool> SkipBad { get; } = CliOptions.Option("--skip-bad-images", "skip and list folder:DIR images that cannot be decoded, instead of stopping", false);

    public IEnumerable<Option> All => [Color, Size, SkipBad];

    public ImageFolderOptions Read(ParseResult parse) =>
        new(parse.GetValue(Color), parse.InRange(Size, ImageFolderOptions.MinSize, ImageFolderOptions.MaxSize), parse.GetValue(SkipBad));
}

using FlowMatching.Io;
using ScottPlot;

namespace FlowMatching.Runtime.Cli.Figures;

/// <summary>A row of panels rendered to one PNG, in the tutorial's style: one purple, square axes, titles.</summary>
public sealed class FigureCanvas
{
    public static readonly Color Purple = Color.FromHex("#62508f");

    private readonly Multiplot _multiplot = new();

    public FigureCanvas(int panels)
    {
        _multiplot.AddPlots(panels);
        _multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
    }

    public Plot Panel(int index) => _multiplot.GetPlot(index);

    /// <summary>Adds a point cloud; dense clouds get a low alpha so structure shows through.</summary>
    public static void Cloud(Plot plot, PointSet points, double alpha, float markerSize = 2)
    {
        var xs = new double[points.Count];
        var ys = new double[points.Count];
        for (int i = 0; i < points.Count; i++)
        {
            xs[i] = points.Values[i * points.Dimension];
            ys[i] = points.Values[i * points.Dimension + 1];
        }

        var scatter = plot.Add.ScatterPoints(xs, ys, Purple.WithAlpha(alpha));
        scatter.MarkerSize = markerSize;
    }

    public static void Square(Plot plot, string title, double limit)
    {
        plot.Title(title);
        plot.Axes.SetLimits(-limit, limit, -limit, limit);
    }

    /// <summary>Renders and writes the PNG atomically.</summary>
    public void Save(string path, int width, int height, bool overwrite)
    {
        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            throw new UserInputException($"--out {path}: figures are PNG files and must end in .png");
        }

        byte[] png = _multiplot.Render(width, height).GetImageBytes(ImageFormat.Png);
        AtomicFile.WriteAllBytes(path, png, overwrite);
    }

    /// <summary>Only the first two coordinates are drawn; a figure of 1-dimensional data is refused.</summary>
    /// <summary>Points from a CSV, at least 2 columns wide; image samples (.npy) are refused toward `plot grid`.</summary>
    public static PointSet ReadPlanar(string path) => path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)
        ? throw new UserInputException($"{path}: image samples (.npy) are drawn by 'plot grid --samples {path}'; this figure draws points from a CSV")
        : Planar(PointCsv.Read(path), path);

    public static PointSet Planar(PointSet points, string source) => points.Dimension >= 2
        ? points
        : throw new UserInputException($"{source}: figures need at least 2 columns, found {points.Dimension}");
}

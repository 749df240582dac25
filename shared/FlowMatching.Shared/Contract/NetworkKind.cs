namespace FlowMatching.Contract;

/// <summary>The network a model file holds.</summary>
public enum NetworkKind
{
    /// <summary>The velocity MLP of point models.</summary>
    Mlp,
    /// <summary>The velocity U-Net of image models.</summary>
    UNet,
    /// <summary>The feature classifier that image evaluation compares samples in.</summary>
    Classifier,
}

public static class NetworkKinds
{
    /// <summary>The names model files, checkpoints and the trainer's command line use.</summary>
    public static NameTable<NetworkKind> Names { get; } = NameTable<NetworkKind>.Lowercase();

    /// <summary>The velocity networks `flowmatch-trainer train --network` fits.</summary>
    public static NameTable<NetworkKind> Velocity { get; } = Names.Where(kind => kind != NetworkKind.Classifier);
}

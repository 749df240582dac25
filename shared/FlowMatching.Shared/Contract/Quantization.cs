namespace FlowMatching.Contract;

/// <summary>How a model's layers were rewritten to int8 (<c>flowmatch-trainer quantize</c>).</summary>
public enum Quantization
{
    /// <summary>Each point's (or image's) own activation step at every call.</summary>
    Int8Dynamic,
    /// <summary>Fully connected layers on steps calibrated on the model's own ODE paths.</summary>
    Int8Calibrated,
}

public static class Quantizations
{
    /// <summary>The names model files store.</summary>
    public static NameTable<Quantization> Names { get; } = new(("int8-dynamic", Quantization.Int8Dynamic), ("int8-calibrated", Quantization.Int8Calibrated));
}

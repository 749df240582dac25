namespace FlowMatching.Contract;

/// <summary>
/// Autoguidance its maker measured best for a model's unconditional samples (the null class, or every sample of a
/// model without classes): v = v_weak + w (v_model - v_weak), the weak model being a less trained network of the
/// same data. <see cref="WeakModel"/> is a path relative to the model file's folder, so the pair moves together.
/// </summary>
public sealed record RecommendedAutoguidance(string WeakModel, double Weight)
{
    /// <summary>Whether the weak model's path can be resolved against the model's folder wherever the pair lies.</summary>
    public bool IsRelative => WeakModel.Length > 0 && !Path.IsPathRooted(WeakModel);

    /// <summary>The weak model's path for a model at <paramref name="modelPath"/>.</summary>
    public string WeakModelBeside(string modelPath) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, WeakModel);
}

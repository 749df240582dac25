using FlowMatching.Errors;

namespace FlowMatching.Runtime.Options;

/// <summary>
/// Autoguidance (Karras et al. 2024): the model's field pushed away from that of a weaker model of the same data,
/// v = v_weak + w (v_model - v_weak). w = 1 is the model alone (the weak model is then not even opened), w = 0 the
/// weak model alone. Unlike classifier-free guidance it needs no classes, so it also sharpens unconditional samples
/// without narrowing them to a few classes.
/// </summary>
/// <param name="WeakModel">The weak model's ONNX file: same data, shape, classes and interpolant as the model; null: the
/// model's recommended one (when sampling follows the recommendation).</param>
/// <param name="Weight">w, from 0 to 100; null: the model's recommended weight.</param>
public sealed record Autoguidance(string? WeakModel, double? Weight)
{
    /// <summary>The model's own field, even where it recommends autoguidance.</summary>
    public static Autoguidance Off { get; } = new(null, 1);

    public bool IsActive => Weight != 1;

    public void Validate()
    {
        if (Weight is not { } weight)
        {
            throw new InvalidSettingException(nameof(Autoguidance), $"needs a weight w (the weak model {WeakModel} is given, and the model recommends none)");
        }

        if (!(weight >= 0 && weight <= 100))
        {
            throw new InvalidSettingException(nameof(Autoguidance), $"weight must be between 0 and 100, not {weight}");
        }

        if (IsActive && WeakModel is null)
        {
            throw new InvalidSettingException(nameof(Autoguidance), $"w = {weight} needs a weak model (and the model recommends none)");
        }
    }
}

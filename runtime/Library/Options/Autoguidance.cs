using FlowMatching.Errors;

namespace FlowMatching.Runtime.Options;

/// <summary>
/// Autoguidance (Karras et al. 2024): the model's field pushed away from that of a weaker model of the same data,
/// v = v_weak + w (v_model - v_weak). w = 1 is the model alone (the weak model is then not even opened), w = 0 the
/// weak model alone. Unlike classifier-free guidance it needs no classes, so it also sharpens unconditional samples
/// without narrowing them to a few classes.
/// </summary>
/// <param name="WeakModel">The weak model's ONNX file: same data, shape, classes and interpolant as the model.</param>
/// <param name="Weight">w, from 0 to 100.</param>
public sealed record Autoguidance(string WeakModel, double Weight)
{
    public bool IsActive => Weight != 1;

    public void Validate()
    {
        if (!(Weight >= 0 && Weight <= 100))
        {
            throw new InvalidSettingException(nameof(Autoguidance), $"weight must be between 0 and 100, not {Weight}");
        }
    }
}

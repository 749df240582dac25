namespace FlowMatching.Training.Onnx;

/// <summary>How an int8 fully connected layer turns its input activations into uint8 levels.</summary>
public enum ActivationScaling
{
    /// <summary>
    /// One step per layer, set once from the largest activation the float model meets on its own ODE paths
    /// (<see cref="ActivationCalibration"/>): quantizing, the product, its scales and the bias are then two
    /// fused ONNX Runtime kernels. The faster; coarser than <see cref="PerPoint"/> where a point's activations
    /// stay small, and off the model's paths (points far outside them) the activations saturate.
    /// </summary>
    Calibrated,

    /// <summary>
    /// Each point on its own step, from its own maximum at every call: the finer field, at the cost of the
    /// per-point passes (the maximum, the step, the rescale) around every product. The default.
    /// </summary>
    PerPoint,
}

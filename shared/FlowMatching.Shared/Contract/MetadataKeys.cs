namespace FlowMatching.Contract;

/// <summary>The metadata_props keys of the model contract (documented in README.md).</summary>
public static class MetadataKeys
{
    public const string FormatVersion = "flowmatching.format_version";
    public const string Producer = "flowmatching.producer";
    public const string ProducerVersion = "flowmatching.producer_version";
    public const string Interpolant = "flowmatching.interpolant";
    public const string Dimension = "flowmatching.dimension";
    public const string BaseDistribution = "flowmatching.base";
    public const string Target = "flowmatching.target";
    public const string Hidden = "flowmatching.network.hidden";
    public const string Activation = "flowmatching.network.activation";
    public const string Steps = "flowmatching.training.steps";
    public const string Batch = "flowmatching.training.batch";
    public const string Seed = "flowmatching.training.seed";
    public const string FinalLoss = "flowmatching.training.final_loss";

    // Reflow models only: the teacher whose ODE couplings they were trained on (file, rk4:STEPS, pairs:N).
    public const string Teacher = "flowmatching.training.teacher";

    // Optional keys: absent means the default (0, none, no standardisation).
    public const string EmaDecay = "flowmatching.training.ema";
    public const string TimeEmbedding = "flowmatching.network.time_embedding";
    public const string DataMean = "flowmatching.data.mean";
    public const string DataStd = "flowmatching.data.std";

    // Image models only (absent for point models): the network kind, the image shape C,H,W, the value range
    // of the pixels, and the class names as a JSON array (the null class's id is their count).
    public const string NetworkKind = "flowmatching.network.kind";
    public const string Shape = "flowmatching.data.shape";
    public const string ValueRange = "flowmatching.data.range";
    public const string ClassNames = "flowmatching.data.classes";
    public const string NullClass = "flowmatching.data.null_class";

    // Flow-map models only (absent: a velocity field): flow-map, a network u(x, t, h[, y]) of the average velocity
    // over a step of size h (ModelKind); its recommended method is euler, its steps the uniform steps it samples in.
    public const string ModelKind = "flowmatching.model.kind";

    // A sampler graph (z -> x1) rather than a velocity field: euler:K.
    public const string Sampler = "flowmatching.sampler";

    // Weights stored in a lower precision: int8-dynamic (per-channel int8 weights, activations quantized per call).
    public const string Quantization = "flowmatching.quantization";

    // The sampler measured best for this model (RecommendedSampling): a fixed-step ODE method, its steps and
    // the guidance scale. Optional; all three or none. The guidance interval (FROM,TO in t) is optional again:
    // absent, guidance applies at every t.
    public const string RecommendedMethod = "flowmatching.recommended.method";
    public const string RecommendedSteps = "flowmatching.recommended.steps";
    public const string RecommendedGuidance = "flowmatching.recommended.guidance";
    public const string RecommendedGuidanceInterval = "flowmatching.recommended.guidance_interval";

    // Optional again: the steps' times t_0 = 0 < ... < t_K = 1 (K = the recommended steps) when they are not uniform.
    public const string RecommendedTimeGrid = "flowmatching.recommended.time_grid";

    // Optional again, both or neither (RecommendedAutoguidance): the weight w of autoguidance for unconditional
    // samples, and the weak model's file relative to the model's folder.
    public const string RecommendedAutoguidance = "flowmatching.recommended.autoguidance";
    public const string RecommendedWeakModel = "flowmatching.recommended.weak_model";

    // Classifiers only: the share of the held-out split classified correctly.
    public const string TestAccuracy = "flowmatching.classifier.test_accuracy";
}

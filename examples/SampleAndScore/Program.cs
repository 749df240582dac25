using FlowMatching.Runtime;
using FlowMatching.Runtime.Options;
using FlowMatching.Runtime.Sampling;

// Load the shipped model, draw 1000 samples with the tutorial's ODE sampler, and score them.
string path = args.Length > 0 ? args[0] : Path.Combine("models", "gmm8.onnx");
using FlowModel model = FlowModel.Load(path, new ModelLoadOptions { Provider = ExecutionProviderKind.Auto });
float[] samples = model.Sample(count: 1000, new OdeSamplingOptions(), seed: 0);
LogLikelihoodResult scores = model.LogLikelihood(samples);
Console.WriteLine($"{samples.Length / model.Dimension} samples from {path} on {model.Provider}; " +
    $"mean log-likelihood {-scores.MeanNegativeLogLikelihood:F4} nats");

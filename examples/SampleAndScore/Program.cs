using FlowMatching.Runtime;
using FlowMatching.Runtime.Options;
using FlowMatching.Runtime.Sampling;

// Load the shipped model, draw 1000 samples with the sampler its maker recommends (the tutorial's Euler 80 steps
// when it recommends none), and score them.
string path = args.Length > 0 ? args[0] : Path.Combine("models", "gmm8.onnx");
using VelocityModel model = VelocityModel.Load(path, new ModelLoadOptions { Provider = ExecutionProviderKind.Auto });
var options = new OdeSamplingOptions();
ResolvedSampling resolved = model.Resolve(options);
Console.WriteLine($"sampling with {string.Join(", ", resolved.Adopted.Select(s => $"the recommended {s}").DefaultIfEmpty("the library's defaults"))}");
float[] samples = model.Sample(count: 1000, options, seed: 0);
// UseRecommendation = false ignores what the file recommends: the settings given, the defaults for the rest.
float[] plain = model.Sample(count: 1000, options with { UseRecommendation = false }, seed: 0);
LogLikelihoodResult scores = model.LogLikelihood(samples);
Console.WriteLine($"{samples.Length / model.Dimension} samples from {path} on {model.Provider}; " +
    $"mean log-likelihood {-scores.MeanNegativeLogLikelihood:F4} nats; " +
    $"{(samples.SequenceEqual(plain) ? "the same as" : "unlike")} the library's defaults");

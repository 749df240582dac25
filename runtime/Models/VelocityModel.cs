using FlowMatching.Contract;
using FlowMatching.Distributions;
using FlowMatching.Interpolants;
using FlowMatching.Velocity;
using Microsoft.ML.OnnxRuntime;

namespace FlowMatching.Runtime.Models;

/// <summary>A velocity field ready to integrate, with the interpolant it was trained for.</summary>
public sealed record VelocityModel(IVelocityField Field, IInterpolant Interpolant, ModelContract? Metadata) : IDisposable
{
    public const string ExactPrefix = "exact:";

    public static string DefaultPath { get; } = Path.Combine("models", "gmm8.onnx");

    /// <summary>The data standardisation recorded by the trainer, or null when the model samples in the data's units.</summary>
    public Standardization? Scaling => Metadata is { DataMean.Count: > 0 } contract ? new Standardization(contract.DataMean, contract.DataStd) : null;

    /// <summary>
    /// Opens <paramref name="spec"/>: an ONNX file, or exact:NAME for the closed-form field of a known
    /// Gaussian-mixture target. The interpolant comes from the model's metadata; <paramref name="interpolantOverride"/>
    /// supplies it for models without any, and must agree with it otherwise.
    /// </summary>
    public static VelocityModel Open(string spec, string provider, string? interpolantOverride, int threads = 0)
    {
        if (spec.StartsWith(ExactPrefix, StringComparison.Ordinal))
        {
            string name = spec[ExactPrefix.Length..];
            IInterpolant exactInterpolant = InterpolantCatalog.Parse(interpolantOverride ?? "linear");
            if (TargetCatalog.Parse(name) is not GaussianMixture mixture)
            {
                throw new UserInputException($"--model {spec}: the exact field is known only for Gaussian-mixture targets");
            }

            Console.Error.WriteLine($"runtime: exact velocity field of {name} ({exactInterpolant.Name} interpolant, d = {mixture.Dimension}), no ONNX model");
            return new VelocityModel(new GaussianMixtureVelocityField(mixture, exactInterpolant), exactInterpolant, null);
        }

        if (spec == DefaultPath && !File.Exists(spec))
        {
            spec = ShippedModel() ?? spec;
        }

        if (!File.Exists(spec))
        {
            throw new UserInputException($"{spec}: no such model file");
        }

        (SessionOptions options, string providerName) = ExecutionProvider.Create(provider, threads);
        InferenceSession session;
        try
        {
            using (options)
            {
                session = new InferenceSession(spec, options);
            }
        }
        catch (OnnxRuntimeException e)
        {
            throw new UserInputException($"{spec}: not a loadable ONNX model ({ExecutionProvider.FirstLine(e.Message)})", e);
        }

        try
        {
            var signature = OnnxSignature.Resolve(session, spec);
            ModelContract? metadata = ModelContract.FromProperties(session.ModelMetadata.CustomMetadataMap, spec);
            if (metadata is not null && metadata.Dimension != signature.Dimension)
            {
                throw new UserInputException($"{spec}: metadata says dimension {metadata.Dimension} but the graph's points are {signature.Dimension} wide");
            }

            if (metadata is not null && interpolantOverride is not null && interpolantOverride != metadata.Interpolant)
            {
                throw new UserInputException($"--interpolant {interpolantOverride}: {spec} was trained with the {metadata.Interpolant} interpolant");
            }

            IInterpolant interpolant = InterpolantCatalog.Parse(metadata?.Interpolant ?? interpolantOverride ?? "linear");
            string origin = metadata is null ? "no flowmatching metadata, assuming the " + interpolant.Name + " interpolant" : $"target {metadata.Target}, {interpolant.Name} interpolant";
            Console.Error.WriteLine($"runtime: {spec} on ONNX Runtime {providerName} ({origin}, d = {signature.Dimension})");
            return new VelocityModel(new OnnxVelocityField(session, signature), interpolant, metadata);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    // The shipped model, found from the program's own folder upwards, so `sample` works from any directory of a clone.
    private static string? ShippedModel()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, DefaultPath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public void Dispose() => (Field as IDisposable)?.Dispose();
}

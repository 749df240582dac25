using FlowMatching.Contract;
using FlowMatching.Distributions;
using FlowMatching.Errors;
using FlowMatching.Interpolants;
using FlowMatching.Runtime.Models;
using FlowMatching.Runtime.Options;
using FlowMatching.Velocity;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace FlowMatching.Runtime;

/// <summary>
/// Opens what <see cref="FlowModel.Load"/> is given: the closed-form field of a Gaussian mixture, or an ONNX file
/// (a velocity field, a flow map, or a whole sampler graph) checked against its contract, as one session per CPU thread.
/// </summary>
internal static class FlowModelLoader
{
    public static FlowModel LoadExact(string source, ModelLoadOptions options)
    {
        string name = source[FlowModel.ExactPrefix.Length..];
        IInterpolant interpolant = options.Interpolant ?? new LinearInterpolant();
        IDistribution? target = TargetCatalog.Names.Contains(name) && !name.StartsWith(TargetCatalog.CsvPrefix, StringComparison.Ordinal) ? TargetCatalog.Parse(name) : null;
        if (target is not GaussianMixture mixture)
        {
            throw new ModelContractException(source, "the exact field is known only for Gaussian-mixture targets (exact:gmm8)");
        }

        options.Logger.LogInformation("exact velocity field of {Target} ({Interpolant} interpolant, d = {Dimension}), no ONNX model", name, interpolant.Name, mixture.Dimension);
        return new VelocityModel(source, new GaussianMixtureVelocityField(mixture, interpolant), interpolant, null, null, "closed form", options);
    }

    /// <summary>The contract a model file carries (any kind, the feature classifier too); null without flowmatching metadata.</summary>
    public static ModelContract? ReadContract(string path)
    {
        RequireFile(path);
        using InferenceSession session = Open(path, ExecutionProvider.CpuOptions());
        return ModelContract.FromProperties(session.ModelMetadata.CustomMetadataMap, path);
    }

    public static FlowModel LoadOnnx(string path, ModelLoadOptions options)
    {
        RequireFile(path);

        // On the CPU a model runs as one single-threaded session per thread, each on a block of rows.
        (SessionOptions sessionOptions, bool cuda) = ExecutionProvider.Create(options.Provider, options.Logger);
        InferenceSession session = Open(path, sessionOptions);
        var parts = new List<OnnxVelocityField>();
        try
        {
            ModelContract? contract = ModelContract.FromProperties(session.ModelMetadata.CustomMetadataMap, path);
            if (contract?.NetworkKind == NetworkKind.Classifier)
            {
                throw new ModelContractException(path, "is a feature classifier (for evaluating image samples), not a velocity model to sample");
            }

            int threads = cuda ? 1 : options.Threads == 0 ? Environment.ProcessorCount : options.Threads;
            if (contract?.Sampler is { } method)
            {
                List<InferenceSession> sessions = [session, .. MoreSessions(path, threads - 1)];
                options.Logger.LogInformation("{Path} on ONNX Runtime {Provider}: a sampler graph ({Method}), one call per chunk, {Threads} thread(s)", path, cuda ? "CUDA" : "CPU", method, threads);
                return new SamplerGraphModel(path, new OnnxSamplerGraph(sessions, method, path), contract, cuda ? "CUDA" : "CPU");
            }

            if (contract is not null && options.Description is not null)
            {
                throw new InvalidSettingException(nameof(ModelLoadOptions.Description), $"{path} carries its own metadata (classes, pixel range); a description applies only to models without it");
            }

            var signature = OnnxSignature.Resolve(session, path);
            if (contract is not null && contract.Dimension != signature.Dimension)
            {
                throw new ModelContractException(path, $"says dimension {contract.Dimension} but the graph's points are {signature.Dimension} wide", MetadataKeys.Dimension);
            }

            bool flowMap = signature.StepInput is not null;
            if (contract is not null && (contract.ModelKind == ModelKind.FlowMap) != flowMap)
            {
                throw new ModelContractException(path, $"says {ModelKinds.Names.Name(contract.ModelKind)}, but its graph {(flowMap ? "takes" : "has no")} a step input {ModelSignature.StepInput}", MetadataKeys.ModelKind);
            }

            IInterpolant interpolant = ResolveInterpolant(path, contract, options.Interpolant);
            string provider = cuda ? "CUDA" : "CPU";
            string origin = contract is null ? $"no flowmatching metadata, assuming the {interpolant.Name} interpolant" : $"target {contract.Target}, {interpolant.Name} interpolant";
            if (contract is null && (options.Description is not null || signature.ClassInput is not null))
            {
                contract = (options.Description ?? new ModelDescription()).ToContract(path, signature, InterpolantCatalog.TryParse(interpolant.Name, out InterpolantKind kind) ? kind : null, session.ModelMetadata.ProducerName);
                origin = $"no flowmatching metadata; as described: {contract.Classes} classes, null class {contract.NullClass?.ToString() ?? "none"}, {interpolant.Name} interpolant";
            }

            options.Logger.LogInformation("{Path} on ONNX Runtime {Provider} ({Kind}, {Origin}, d = {Dimension}), {Threads} thread(s)", path, provider, flowMap ? "a flow map" : "a velocity field", origin, signature.Dimension, threads);
            int classes = signature.ClassInput is null ? 0 : contract!.Classes;
            parts.Add(new OnnxVelocityField(session, signature, rebindEachEvaluation: cuda, classes, path, contract?.NullClass));
            if (classes > 0)
            {
                RequireClassEmbedding(parts[0], contract!, path);
            }

            parts.AddRange(MoreSessions(path, threads - 1).Select(more => new OnnxVelocityField(more, signature, rebindEachEvaluation: false, classes, path, contract?.NullClass)));

            return flowMap
                ? new FlowMapModel(path, new RowParallelField(parts), signature.SampleShape, contract, provider)
                : new VelocityModel(path, new RowParallelField(parts), interpolant, contract, signature, provider, options);
        }
        catch
        {
            foreach (OnnxVelocityField part in parts)
            {
                part.Dispose();
            }

            if (parts.Count == 0)
            {
                session.Dispose();
            }

            throw;
        }
    }

    // The single-threaded CPU sessions for the row blocks after the first; if one fails, those opened are closed.
    private static List<InferenceSession> MoreSessions(string path, int count)
    {
        var sessions = new List<InferenceSession>();
        try
        {
            while (sessions.Count < count)
            {
                sessions.Add(Open(path, ExecutionProvider.CpuOptions()));
            }

            return sessions;
        }
        catch
        {
            sessions.ForEach(s => s.Dispose());
            throw;
        }
    }

    // The metadata's classes must be the network's: the null class K must be a row of its class embedding, and (for
    // this project's own models, whose embedding is a Gather of K + 1 rows) K + 1 must not be. One row, twice, at load.
    private static void RequireClassEmbedding(OnnxVelocityField field, ModelContract contract, string path)
    {
        int classes = contract.Classes, nullClass = contract.NullClass!.Value;
        var point = new float[field.Dimension];
        var velocity = new float[field.Dimension];
        bool Takes(long y)
        {
            try
            {
                field.Evaluate(0.5, point, [y], velocity);
                return true;
            }
            catch (ModelContractException)
            {
                return false;
            }
        }

        // The field takes K for the null class and passes the network its own id.
        if (!Takes(classes))
        {
            throw new ModelContractException(path, $"says {classes} classes, but its network's class input does not take the null class {nullClass}", MetadataKeys.NullClass);
        }

        if (contract.Producer == ModelContract.ThisProducer && Takes(classes + 1))
        {
            throw new ModelContractException(path, $"says {classes} classes, but its network's class embedding has more than {classes + 1} rows", MetadataKeys.NullClass);
        }
    }

    internal static void RequireFile(string path)
    {
        if (Directory.Exists(path))
        {
            throw new ModelContractException(path, "is a directory, not a model file");
        }

        if (!File.Exists(path))
        {
            throw new ModelContractException(path, "no such model file");
        }
    }

    internal static InferenceSession Open(string path, SessionOptions sessionOptions)
    {
        try
        {
            using (sessionOptions)
            {
                return new InferenceSession(path, sessionOptions);
            }
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelContractException(path, $"not a loadable ONNX model ({ExecutionProvider.FirstLine(e.Message)})", inner: e);
        }
    }

    private static IInterpolant ResolveInterpolant(string path, ModelContract? contract, IInterpolant? requested)
    {
        if (contract is null)
        {
            return requested ?? new LinearInterpolant();
        }

        IInterpolant stored = contract.Interpolant is { } kind
            ? kind.Create()
            : throw new ModelContractException(path, $"names no interpolant (known: {string.Join(", ", InterpolantCatalog.Names)})", MetadataKeys.Interpolant);

        if (requested is not null && requested.Name != stored.Name)
        {
            throw new InvalidSettingException(nameof(ModelLoadOptions.Interpolant), $"{requested.Name} was asked for, but {path} was trained with the {stored.Name} interpolant");
        }

        return stored;
    }
}

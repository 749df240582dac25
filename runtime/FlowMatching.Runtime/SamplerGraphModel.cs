using FlowMatching.Contract;
using FlowMatching.Errors;
using FlowMatching.Interpolants;
using FlowMatching.Runtime.Models;
using FlowMatching.Runtime.Options;
using FlowMatching.Runtime.Sampling;

namespace FlowMatching.Runtime;

/// <summary>
/// A whole sampler exported as one graph (flowmatch-trainer export-sampler): it draws the same starting points as a velocity
/// model and runs them through its own unrolled method in one call per chunk, so only a chunk size and classes
/// (without guidance) apply to it. It recommends nothing: its method is built in.
/// </summary>
public sealed class SamplerGraphModel : FlowModel
{
    private readonly OnnxSamplerGraph _graph;

    internal SamplerGraphModel(string source, OnnxSamplerGraph graph, ModelContract? contract, string provider)
        : base(source, contract, provider)
    {
        _graph = graph;
    }

    /// <summary>The method the graph unrolls.</summary>
    public SamplerSpec Method => _graph.Method;

    public override IReadOnlyList<int> SampleShape => _graph.SampleShape;

    public override int Classes => _graph.HasClasses ? Contract?.Classes ?? 0 : 0;

    public override ResolvedSampling Resolve(SamplingOptions requested, CancellationToken cancellationToken = default) =>
        new(requested with { UseRecommendation = false }, []);

    public override void Dispose() => _graph.Dispose();

    private protected override Sampler CreateSampler(SamplingOptions effective, long seed)
    {
        if (effective is not OdeSamplingOptions { Solver: { Method: null or OdeMethod.Euler, Tolerances: null, Grid: null, TimeGrid: null or TimeGridKind.Uniform } solver }
            || (solver.Steps is { } steps && steps != Method.Steps))
        {
            throw new InvalidSettingException("Method", $"{Source} is a sampler graph that runs {Method}; it takes no other method or step count");
        }

        if (effective.Autoguidance is { IsActive: true })
        {
            throw new InvalidSettingException("Autoguidance", $"does not apply to {Source}, a sampler graph with its field built in");
        }

        if (effective.Conditioning is { } conditioning)
        {
            // Each refusal names the setting that was given: a graph has its field, guided or not, built in.
            string? refused = !_graph.HasClasses && conditioning.Classes != ClassSelection.None ? "Class"
                : conditioning.Guidance is not (null or 1) ? nameof(Conditioning.Guidance)
                : conditioning.Interval is not null ? nameof(Conditioning.Interval)
                : null;
            if (refused is not null)
            {
                throw new InvalidSettingException(refused, $"does not apply to {Source}, a sampler graph without guidance{(_graph.HasClasses ? "" : " or classes")}");
            }
        }

        ClassSelection? classes = _graph.HasClasses ? effective.Conditioning?.Classes ?? ClassSelection.None : null;
        return new Sampler(Dimension, effective.Chunk ?? DefaultChunk, classes, Classes, (_, points, chunkClasses, _, _) =>
        {
            var samples = new float[points.Length];
            _graph.Run(points, chunkClasses, samples);
            if (samples.Any(v => !float.IsFinite(v)))
            {
                throw new NonFiniteValueException(1, "the sampler graph's output");
            }

            samples.CopyTo(points, 0);
            return Method.Steps;
        });
    }
}

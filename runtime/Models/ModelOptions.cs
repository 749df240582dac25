using System.CommandLine;
using FlowMatching.Cli;
using FlowMatching.Interpolants;

namespace FlowMatching.Runtime.Models;

/// <summary>The options every command that runs a velocity model shares, and how they open it.</summary>
public sealed class ModelOptions
{
    private readonly Option<string> _model = CommandRunner.Option("--model", "ONNX velocity model, or exact:gmm8 for the closed-form field", VelocityModel.DefaultPath);
    private readonly Option<string> _provider = CommandRunner.Choice("--provider", "ONNX Runtime execution provider: auto (CUDA when it loads), cpu, cuda", "auto", [.. ExecutionProvider.Choices]);
    private readonly Option<string?> _interpolant = CommandRunner.Option<string?>("--interpolant", $"interpolant for models without metadata: {string.Join("|", InterpolantCatalog.Names)}");
    private readonly Option<int> _threads = CommandRunner.Option("--threads", "ONNX Runtime CPU threads (0: all cores); does not change the output", 0);

    public IEnumerable<Option> All => [_model, _provider, _interpolant, _threads];

    public string Spec(ParseResult parse) => parse.GetValue(_model)!;

    public VelocityModel Open(ParseResult parse) =>
        VelocityModel.Open(Spec(parse), parse.GetValue(_provider)!, parse.GetValue(_interpolant), parse.InRange(_threads, 0, 1024));
}

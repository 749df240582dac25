namespace FlowMatching.Errors;

/// <summary>An execution device that was asked for explicitly (CUDA) does not work on this machine.</summary>
public sealed class ProviderUnavailableException(string provider, string detail)
    : FlowMatchingException($"the {provider} execution provider does not load here ({detail})")
{
    public string Provider { get; } = provider;
}

using System.Diagnostics.CodeAnalysis;
using FlowMatching.Errors;

namespace FlowMatching;

/// <summary>A setting with a textual form (fourier:8, logit-normal:0,1) that <c>TryParse</c> reads back.</summary>
public interface INamedChoice<TSelf> where TSelf : class, INamedChoice<TSelf>
{
    /// <summary>What a valid text looks like, for the message that refuses one.</summary>
    static abstract string Expected { get; }

    static abstract bool TryParse(string text, [NotNullWhen(true)] out TSelf? value);
}

public static class NamedChoice
{
    public static T Parse<T>(string text) where T : class, INamedChoice<T> =>
        T.TryParse(text, out T? value) ? value : throw new InvalidSettingException(typeof(T).Name, $"'{text}' is not {T.Expected}");
}

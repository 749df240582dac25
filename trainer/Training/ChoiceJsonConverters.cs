using System.Text.Json;
using System.Text.Json.Serialization;
using FlowMatching.Errors;

namespace FlowMatching.Training.Training;

/// <summary>A setting with a textual form (fourier:8, logit-normal:0,1) that <c>Parse</c> reads back.</summary>
public interface INamedChoice<TSelf> where TSelf : INamedChoice<TSelf>
{
    static abstract TSelf Parse(string text);
}

/// <summary>
/// Writes a <see cref="INamedChoice{TSelf}"/> into a checkpoint as its textual form, the form checkpoints held when
/// these settings were strings, so older checkpoints still resume.
/// </summary>
public sealed class NamedChoiceConverter<T> : JsonConverter<T> where T : class, INamedChoice<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string text = reader.GetString() ?? throw new JsonException($"{typeof(T).Name} is null");
        try
        {
            return T.Parse(text);
        }
        catch (InvalidSettingException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

/// <summary>An enum written as its lower-case member name (relu), as checkpoints held it when it was a string.</summary>
public sealed class LowerCaseEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where T : struct, Enum;

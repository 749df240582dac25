using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using FlowMatching.Contract;
using FlowMatching.Errors;
using FlowMatching.Interpolants;
using FlowMatching.Io;
using FlowMatching.Training.Network;

namespace FlowMatching.Training;

/// <summary>
/// Writes a <see cref="INamedChoice{TSelf}"/> into a checkpoint as its textual form, the form checkpoints held when
/// these settings were strings, so older checkpoints still resume.
/// </summary>
public sealed class NamedChoiceConverter<T> : JsonConverter<T> where T : class, INamedChoice<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string text = reader.GetString() ?? throw new JsonException($"{typeof(T).Name} is null");
        return T.TryParse(text, out T? value) ? value : throw new JsonException($"{typeof(T).Name} '{text}' is not {T.Expected}");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

/// <summary>
/// An enum written into a checkpoint under the one name the rest of the product gives it (relu, linear), as
/// checkpoints held it when it was a string; a name it does not know is refused, and so is a number unless
/// <paramref name="readsNumbers"/> (for the enums older checkpoints wrote as their member's number).
/// </summary>
public abstract class NamedEnumConverter<T>(NameTable<T> names, bool readsNumbers = false) : JsonConverter<T> where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (readsNumbers && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int number) && Enum.IsDefined(typeof(T), number))
        {
            return (T)Enum.ToObject(typeof(T), number);
        }

        string? text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return names.TryParse(text, out T value) ? value : throw new JsonException($"{typeof(T).Name} {(text is null ? reader.TokenType.ToString() : $"'{text}'")} is not one of {string.Join(", ", names.Names)}");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(names.Name(value));
}

public sealed class ImageColorConverter() : NamedEnumConverter<ImageColor>(ImageColors.Names);

public sealed class ActivationConverter() : NamedEnumConverter<Activation>(Activations.Names);

public sealed class InterpolantKindConverter() : NamedEnumConverter<InterpolantKind>(InterpolantCatalog.Table);

public sealed class DeviceChoiceConverter() : NamedEnumConverter<DeviceChoice>(DeviceChoices.Names, readsNumbers: true);

public sealed class NetworkKindConverter() : NamedEnumConverter<NetworkKind>(NetworkKinds.Names, readsNumbers: true);

public sealed class TrainingObjectiveConverter() : NamedEnumConverter<TrainingObjective>(TrainingObjectives.Names);

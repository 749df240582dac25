using System.Text;
using System.Text.Json;
using FlowMatching.Errors;
using FlowMatching.Io;
using FlowMatching.Training.Network;
using TorchSharp.Modules;

namespace FlowMatching.Training.Training;

/// <summary>Where a run stands: its options, the last completed step and the batch sampler's stream positions.</summary>
public sealed record CheckpointHeader(TrainingOptions Options, int Step, ulong[] SamplerState, double LastLoss);

/// <summary>
/// Everything needed to continue a run bit for bit: a JSON header, then the network, the Adam state and the
/// weight average, in one file written atomically (a crash while saving keeps the previous checkpoint).
/// The learning rate needs no state (<see cref="StepLearningRate"/>), nor does the validation batch (drawn from the seed).
/// </summary>
public static class TrainingCheckpoint
{
    private const string Magic = "flowmatching-checkpoint-1";

    public static void Save(string path, CheckpointHeader header, VelocityNetwork network, Adam optimizer, ExponentialMovingAverage? ema)
    {
        using AtomicFile file = AtomicFile.Create(path, overwrite: true);
        using (var writer = new BinaryWriter(file.Stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(JsonSerializer.Serialize(header));
            network.save(writer);
            optimizer.save_state_dict(writer);
            ema?.Average.save(writer);
        }

        file.Commit();
    }

    public static CheckpointHeader ReadHeader(string path)
    {
        using BinaryReader reader = Open(path);
        return ReadHeader(reader, path);
    }

    /// <summary>Loads the saved weights and optimizer state into freshly built modules of the same shape.</summary>
    public static void Restore(string path, VelocityNetwork network, Adam optimizer, ExponentialMovingAverage? ema)
    {
        using BinaryReader reader = Open(path);
        ReadHeader(reader, path);
        try
        {
            network.load(reader);
            optimizer.load_state_dict(reader);
            ema?.Average.load(reader);
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException)
        {
            throw new DataFormatException(path, $"the checkpoint's weights do not fit this network ({e.Message})", inner: e);
        }
    }

    private static BinaryReader Open(string path) => File.Exists(path)
        ? new BinaryReader(File.OpenRead(path), Encoding.UTF8)
        : throw new DataFormatException(path, "no such checkpoint");

    private static CheckpointHeader ReadHeader(BinaryReader reader, string path)
    {
        try
        {
            return reader.ReadString() == Magic
                ? JsonSerializer.Deserialize<CheckpointHeader>(reader.ReadString()) ?? throw new InvalidDataException()
                : throw new InvalidDataException();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException)
        {
            throw new DataFormatException(path, "not a checkpoint of this trainer", inner: e);
        }
    }
}

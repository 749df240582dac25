using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FlowMatching.Errors;
using FlowMatching.Io;
using FlowMatching.Training.Network;
using TorchSharp.Modules;

namespace FlowMatching.Training;

/// <summary>
/// Where a run stands: its options, the last completed step, the batch sampler's stream positions, and the
/// fingerprint of the training data (null for the built-in targets) so a resume can refuse changed data.
/// </summary>
public sealed record CheckpointHeader(TrainingOptions Options, int Step, ulong[] SamplerState, double LastLoss, string? DataFingerprint = null)
{
    /// <summary>SHA-256 of the weights and optimizer state that follow the header: a flipped bit or a cut file is refused.</summary>
    public string PayloadSha256 { get; init; } = "";
}

/// <summary>
/// Everything needed to continue a run bit for bit: a JSON header, then the network, the Adam state and the
/// weight average, in one file written atomically (a crash while saving keeps the previous checkpoint).
/// The header carries a checksum of the rest, checked before anything is loaded.
/// The learning rate needs no state (<see cref="StepLearningRate"/>), nor does the validation batch (drawn from the seed).
/// </summary>
public static class TrainingCheckpoint
{
    private const string Magic = "flowmatching-checkpoint-2";
    private const string OlderMagic = "flowmatching-checkpoint-1";

    public static void Save(string path, CheckpointHeader header, IFieldNetwork network, Adam optimizer, ExponentialMovingAverage? ema)
    {
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            network.Module.save(writer);
            optimizer.save_state_dict(writer);
            ema?.Average.Module.save(writer);
        }

        using AtomicFile file = AtomicFile.Create(path, overwrite: true);
        using (var head = new MemoryStream())
        {
            using (var writer = new BinaryWriter(head, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(JsonSerializer.Serialize(header with { PayloadSha256 = Convert.ToHexString(SHA256.HashData(payload.GetBuffer().AsSpan(0, (int)payload.Length))) }));
            }

            file.Write(head.GetBuffer().AsSpan(0, (int)head.Length));
        }

        file.Write(payload.GetBuffer().AsSpan(0, (int)payload.Length));
        file.Commit();
    }

    public static CheckpointHeader ReadHeader(string path)
    {
        using BinaryReader reader = Open(path);
        return ReadHeader(reader, path);
    }

    /// <summary>
    /// Loads the saved weights and optimizer state into freshly built modules of the same shape, after checking the
    /// checksum; returns the header they came with.
    /// </summary>
    public static CheckpointHeader Restore(string path, IFieldNetwork network, Adam optimizer, ExponentialMovingAverage? ema)
    {
        using BinaryReader file = Open(path);
        CheckpointHeader header = ReadHeader(file, path);
        byte[] payload = file.ReadBytes((int)Math.Min(int.MaxValue, file.BaseStream.Length - file.BaseStream.Position));
        if (Convert.ToHexString(SHA256.HashData(payload)) != header.PayloadSha256)
        {
            throw new DataFormatException(path, "the checkpoint is corrupt or cut short (its checksum does not match); resume from an earlier copy");
        }

        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        try
        {
            network.Module.load(reader);
            optimizer.load_state_dict(reader);
            ema?.Average.Module.load(reader);
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException)
        {
            throw new DataFormatException(path, $"the checkpoint's weights do not fit the network its header describes ({e.Message})", inner: e);
        }

        return header;
    }

    /// <summary>The network a checkpoint would export: the weight average when the run keeps one, else the raw weights.</summary>
    public static (IFieldNetwork Network, CheckpointHeader Header) LoadForExport(string path, Distributions.IDistribution target)
    {
        CheckpointHeader header = ReadHeader(path);
        TrainingOptions options = header.Options;
        IFieldNetwork network = FieldNetworks.Create(options, target);
        ExponentialMovingAverage? ema = options.EmaDecay > 0 ? new ExponentialMovingAverage(network, options.EmaDecay, TorchSharp.torch.CPU) : null;
        using (Adam optimizer = TorchSharp.torch.optim.Adam(network.Module.parameters(), options.LearningRate))
        {
            header = Restore(path, network, optimizer, ema);
        }

        if (ema is null)
        {
            return (network, header);
        }

        network.Dispose();
        return (ema.Average, header);
    }

    private static BinaryReader Open(string path)
    {
        InputFile.RequireReadable(path);
        return new BinaryReader(File.OpenRead(path), Encoding.UTF8);
    }

    private static CheckpointHeader ReadHeader(BinaryReader reader, string path)
    {
        string magic;
        try
        {
            magic = reader.ReadString();
            if (magic == Magic)
            {
                return JsonSerializer.Deserialize<CheckpointHeader>(reader.ReadString()) ?? throw new InvalidDataException();
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException)
        {
            throw new DataFormatException(path, "not a checkpoint of this trainer, or corrupt or cut short", inner: e);
        }

        throw new DataFormatException(path, magic == OlderMagic
            ? "a checkpoint of an older trainer, without checksums; it cannot be resumed by this one"
            : "not a checkpoint of this trainer");
    }
}

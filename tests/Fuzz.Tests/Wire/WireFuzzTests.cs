using System.Security.Cryptography;
using MessagePack;
using Orchestrator.Fuzz.Tests.Generators;
using Orchestrator.Fuzz.Tests.Harness;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Ipc;
using Orchestrator.Shared.Protocol;
using Xunit.Abstractions;

namespace Orchestrator.Fuzz.Tests.Wire;

/// <summary>
/// What a peer can send the master (envelopes, message bodies) or the CLI's socket (IPC frames): any bytes may only be
/// refused (false, <see cref="WireFormatException"/>), never raise another exception, hang or allocate out of proportion.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class WireFuzzTests(ITestOutputHelper output)
{
    private static readonly byte[] _key = new byte[EnvelopeSealer.KeySize];

    // A decoder may build objects many times the size of its input (a nested map costs a few KiB per level, and the
    // untrusted-data limit stops nesting at 500), never tens of megabytes from a few bytes.
    private static long Proportionate(BytesInput input) => (8L * 1024 * 1024) + (1024L * input.Bytes.Length);

    private static readonly (Type Type, Func<ReadOnlyMemory<byte>, object> Decode)[] _decoders = WireInputs.MessageTypes
        .Select(t => (t, (Func<ReadOnlyMemory<byte>, object>)typeof(WireCodec).GetMethod(nameof(WireCodec.Deserialize))!
            .MakeGenericMethod(t).CreateDelegate(typeof(Func<ReadOnlyMemory<byte>, object>))))
        .Append((typeof(object), bytes => WireCodec.Deserialize<object>(bytes)))
        .ToArray();

    [Fact]
    public void Envelope_decoder_only_refuses() => FuzzRunner.Run(output, "envelope", WireInputs.Frames(), Shrink.Bytes, input =>
    {
        if (!WireCodec.TryDecodeEnvelope(input.Bytes, 16 * 1024 * 1024, out var envelope, out var error))
        {
            Expect(error.Length > 0, "refused without saying why");
            return;
        }
        // What the master's worker does next with a sealed kind: opening under a wrong key must be a CryptographicException.
        try
        {
            EnvelopeSealer.Open(envelope, _key);
        }
        catch (CryptographicException)
        {
        }
    }, Proportionate);

    [Fact]
    public void Message_bodies_only_raise_WireFormatException() => FuzzRunner.Run(output, "bodies", WireInputs.Frames(), Shrink.Bytes, input =>
    {
        foreach (var (type, decode) in _decoders)
        {
            object message;
            try
            {
                message = decode(input.Bytes);
            }
            catch (WireFormatException)
            {
                continue;
            }
            // Handlers normalize the data fields and re-encode them (relay, job cache, events).
            foreach (var property in type == typeof(object) ? [] : type.GetProperties())
            {
                DataTree.ToJson(DataTree.Normalize(property.GetValue(message)));
            }
            MessagePackSerializer.Serialize(type, message, WireCodec.Options);
            DataTree.Normalize(message);
        }
    }, Proportionate);

    [Fact]
    public void Ipc_frames_only_raise_WireFormatException() => FuzzRunner.Run(output, "ipc", IpcFrames(), Shrink.Bytes, input =>
    {
        using var stream = new MemoryStream(input.Bytes);
        try
        {
            while (IpcFraming.ReadAsync(stream, CancellationToken.None).GetAwaiter().GetResult() is { } message)
            {
                DataTree.ToJson(message);
            }
        }
        catch (WireFormatException)
        {
        }
    }, Proportionate);

    private static FsCheck.Gen<BytesInput> IpcFrames() => FsCheck.Fluent.Gen.Select(WireInputs.Frames(), frame =>
    {
        // Mostly a correct length prefix, so the payload decoder is reached; sometimes a lying one.
        var random = new Random(frame.Bytes.Length);
        var length = random.Next(4) == 0 ? random.Next() : frame.Bytes.Length;
        var bytes = new byte[4 + frame.Bytes.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes, length);
        frame.Bytes.CopyTo(bytes, 4);
        return new BytesInput(bytes);
    });

    private static void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw new FuzzFinding(what);
        }
    }
}

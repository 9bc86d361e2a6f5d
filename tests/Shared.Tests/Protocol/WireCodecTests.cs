using MessagePack;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Protocol;

namespace Orchestrator.Shared.Tests.Protocol;

public class WireCodecTests
{
    private static Envelope Sample() => new()
    {
        Kind = MessageType.JobReturn,
        SenderId = "web1",
        Timestamp = 1_700_000_000_123,
        Nonce = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        Body = [0xde, 0xad],
        Signature = [5, 5],
        KeyGeneration = 7,
        ReplyTo = [4, 2],
    };

    private static bool Decode(byte[] frame, out Envelope envelope, out string error, int maxSize = 1024) =>
        WireCodec.TryDecodeEnvelope(frame, maxSize, out envelope, out error);

    [Fact]
    public void TryDecodeEnvelope_SerializedEnvelope_RoundTripsEveryField()
    {
        var original = Sample();

        Assert.True(Decode(WireCodec.Serialize(original), out var decoded, out var error), error);

        Assert.Equal(Envelope.CurrentVersion, decoded.Version);
        Assert.Equal(original.Kind, decoded.Kind);
        Assert.Equal(original.SenderId, decoded.SenderId);
        Assert.Equal(original.Timestamp, decoded.Timestamp);
        Assert.Equal(original.Nonce, decoded.Nonce);
        Assert.Equal(original.Body, decoded.Body);
        Assert.Equal(original.Signature, decoded.Signature);
        Assert.Equal(original.KeyGeneration, decoded.KeyGeneration);
        Assert.Equal(original.ReplyTo, decoded.ReplyTo);
        Assert.Equal(string.Empty, error);
    }

    [Fact]
    public void TryDecodeEnvelope_SealedEnvelope_StillOpensAfterTheWire()
    {
        var key = EnvelopeSealer.NewKey();
        var sealedEnvelope = EnvelopeSealer.Seal(MessageType.Heartbeat, "web1", key, [1, 2, 3], 99, replyTo: [1]);

        Assert.True(Decode(WireCodec.Serialize(sealedEnvelope), out var decoded, out _));

        Assert.Equal([1, 2, 3], EnvelopeSealer.Open(decoded, key));
    }

    [Fact]
    public void TryDecodeEnvelope_FrameOverLimit_RefusesWithSize()
    {
        var frame = WireCodec.Serialize(Sample());

        Assert.False(Decode(frame, out _, out var error, maxSize: frame.Length - 1));
        Assert.Contains($"{frame.Length} bytes exceeds the limit of {frame.Length - 1}", error);
    }

    [Fact]
    public void TryDecodeEnvelope_FrameExactlyAtLimit_Accepts()
    {
        var frame = WireCodec.Serialize(Sample());

        Assert.True(Decode(frame, out _, out _, maxSize: frame.Length));
    }

    public static TheoryData<byte[]> MalformedFrames => new()
    {
        Array.Empty<byte>(),
        new byte[] { 0xc1 },
        new byte[] { 0x01, 0x02, 0x03 },
        "garbage that is not msgpack"u8.ToArray(),
        MessagePackSerializer.Serialize("just a string"),
        MessagePackSerializer.Serialize(new object[] { "x", 1 }),
        new byte[] { 0xc0 },
    };

    [Theory]
    [MemberData(nameof(MalformedFrames))]
    public void TryDecodeEnvelope_Malformed_ReturnsFalseWithoutThrowing(byte[] frame)
    {
        Assert.False(Decode(frame, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void TryDecodeEnvelope_TruncatedFrame_ReturnsFalse()
    {
        var frame = WireCodec.Serialize(Sample());

        Assert.False(Decode(frame[..^3], out _, out var error));
        Assert.Contains("malformed", error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void TryDecodeEnvelope_OtherVersion_Refuses(int version)
    {
        var envelope = Sample();
        envelope.Version = version;

        Assert.False(Decode(WireCodec.Serialize(envelope), out _, out var error));
        Assert.Contains($"version {version} refused", error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    [InlineData(13)]
    public void TryDecodeEnvelope_NonceNot12Bytes_Refuses(int nonceLength)
    {
        var envelope = Sample();
        envelope.Nonce = new byte[nonceLength];

        Assert.False(Decode(WireCodec.Serialize(envelope), out _, out var error));
        Assert.Contains("header incomplete", error);
    }

    [Fact]
    public void TryDecodeEnvelope_NilNonce_Refuses()
    {
        var envelope = Sample();
        envelope.Nonce = null!;

        Assert.False(Decode(WireCodec.Serialize(envelope), out _, out var error));
        Assert.Contains("header incomplete", error);
    }

    [Fact]
    public void TryDecodeEnvelope_EmptySender_Refuses()
    {
        var envelope = Sample();
        envelope.SenderId = "";

        Assert.False(Decode(WireCodec.Serialize(envelope), out _, out var error));
        Assert.Contains("header incomplete", error);
    }

    [Fact]
    public void TryDecodeEnvelope_NilSender_RefusesWithoutThrowing()
    {
        var envelope = Sample();
        envelope.SenderId = null!;

        Assert.False(Decode(WireCodec.Serialize(envelope), out _, out var error));
        Assert.Contains("header incomplete", error);
    }

    [Fact]
    public void TryDecodeEnvelope_NilBody_RefusesWithoutThrowing()
    {
        var envelope = Sample();
        envelope.Body = null!;

        Assert.False(Decode(WireCodec.Serialize(envelope), out _, out var error));
        Assert.Contains("header incomplete", error);
    }

    [Fact]
    public void TryDecodeEnvelope_ReplyToLongerThan255_Refuses()
    {
        // The authenticated header stores the reply-to length in one byte; a longer one would make it ambiguous.
        var envelope = Sample();
        envelope.ReplyTo = new byte[256];

        Assert.False(Decode(WireCodec.Serialize(envelope), out _, out var error));
        Assert.Contains("header incomplete", error);
    }

    [Fact]
    public void Deserialize_Malformed_ThrowsWireFormatExceptionNamingType()
    {
        var error = Assert.Throws<WireFormatException>(() => WireCodec.Deserialize<Envelope>(new byte[] { 0x01, 0x02 }));

        Assert.Contains(nameof(Envelope), error.Message);
    }

    [Fact]
    public void Deserialize_Nil_ThrowsWireFormatException()
    {
        var error = Assert.Throws<WireFormatException>(() => WireCodec.Deserialize<Envelope>(new byte[] { 0xc0 }));

        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void ToMap_NonMap_ReturnsEmptyMap()
    {
        Assert.Empty(WireCodec.ToMap("text"));
        Assert.Empty(WireCodec.ToMap(null));
    }

    [Fact]
    public void ToList_NonList_ReturnsEmptyList()
    {
        Assert.Empty(WireCodec.ToList(42));
    }
}

using System.Security.Cryptography;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Protocol;

namespace Orchestrator.Shared.Tests.Crypto;

public class EnvelopeSealerTests
{
    private static readonly byte[] Plaintext = "hello minion"u8.ToArray();

    private static Envelope SealSample(byte[] key, byte[]? replyTo = null) =>
        EnvelopeSealer.Seal(MessageType.JobReturn, "web1", key, Plaintext, 1_700_000_000_000, keyGeneration: 3, replyTo: replyTo);

    [Fact]
    public void Seal_ThenOpenWithSameKey_ReturnsPlaintext()
    {
        var key = EnvelopeSealer.NewKey();

        var envelope = SealSample(key, replyTo: [1, 2, 3]);

        Assert.Equal(Plaintext, EnvelopeSealer.Open(envelope, key));
        Assert.Equal(MessageType.JobReturn, envelope.Kind);
        Assert.Equal("web1", envelope.SenderId);
        Assert.Equal(3, envelope.KeyGeneration);
        Assert.Equal(12, envelope.Nonce.Length);
        Assert.Equal(Plaintext.Length + 16, envelope.Body.Length);
    }

    [Fact]
    public void Seal_Body_DoesNotContainPlaintext()
    {
        var envelope = SealSample(EnvelopeSealer.NewKey());

        Assert.NotEqual(Plaintext, envelope.Body.AsSpan(0, Plaintext.Length).ToArray());
    }

    [Fact]
    public void Seal_Twice_UsesFreshNonces()
    {
        var key = EnvelopeSealer.NewKey();

        Assert.NotEqual(SealSample(key).Nonce, SealSample(key).Nonce);
    }

    [Fact]
    public void Open_WrongKey_Throws()
    {
        var envelope = SealSample(EnvelopeSealer.NewKey());

        Assert.ThrowsAny<CryptographicException>(() => EnvelopeSealer.Open(envelope, EnvelopeSealer.NewKey()));
    }

    [Fact]
    public void Open_FlippedBodyBit_Throws()
    {
        var key = EnvelopeSealer.NewKey();
        var envelope = SealSample(key);
        envelope.Body[0] ^= 0x01;

        Assert.ThrowsAny<CryptographicException>(() => EnvelopeSealer.Open(envelope, key));
    }

    public static TheoryData<string> HeaderTampers => ["sender", "kind", "timestamp", "generation", "replyTo", "nonce", "version"];

    [Theory]
    [MemberData(nameof(HeaderTampers))]
    public void Open_AlteredHeaderField_Throws(string field)
    {
        var key = EnvelopeSealer.NewKey();
        var envelope = SealSample(key, replyTo: [9, 9]);
        switch (field)
        {
            case "sender": envelope.SenderId = "web2"; break;
            case "kind": envelope.Kind = MessageType.EventFire; break;
            case "timestamp": envelope.Timestamp += 1; break;
            case "generation": envelope.KeyGeneration = 4; break;
            case "replyTo": envelope.ReplyTo = [9, 8]; break;
            case "nonce": envelope.Nonce[11] ^= 0x01; break;
            case "version": envelope.Version = 2; break;
        }

        Assert.ThrowsAny<CryptographicException>(() => EnvelopeSealer.Open(envelope, key));
    }

    [Fact]
    public void Open_BodyShorterThanTag_ThrowsCryptographicException()
    {
        var envelope = SealSample(EnvelopeSealer.NewKey());
        envelope.Body = new byte[15];

        var error = Assert.ThrowsAny<CryptographicException>(() => EnvelopeSealer.Open(envelope, EnvelopeSealer.NewKey()));
        Assert.Contains("too short", error.Message);
    }

    [Fact]
    public void Seal_EmptyPlaintext_OpensToEmpty()
    {
        var key = EnvelopeSealer.NewKey();

        var envelope = EnvelopeSealer.Seal(MessageType.Heartbeat, "web1", key, [], 1);

        Assert.Empty(EnvelopeSealer.Open(envelope, key));
    }

    [Fact]
    public void Clear_Body_IsKeptAsGiven()
    {
        var envelope = EnvelopeSealer.Clear(MessageType.AuthHello, "web1", Plaintext, 42, replyTo: [7]);

        Assert.Equal(Plaintext, envelope.Body);
        Assert.Equal(42, envelope.Timestamp);
        Assert.Equal([7], envelope.ReplyTo!);
        Assert.Equal(12, envelope.Nonce.Length);
    }

    [Fact]
    public void HeaderBytes_ReplyToMovedIntoSenderId_Differ()
    {
        // Length-prefixing replyTo keeps "replyTo=[0x61] sender=b" apart from "replyTo=[] sender=ab".
        var a = new Envelope { SenderId = "b", Nonce = new byte[12], ReplyTo = "a"u8.ToArray() };
        var b = new Envelope { SenderId = "ab", Nonce = new byte[12], ReplyTo = null };

        Assert.NotEqual(EnvelopeSealer.HeaderBytes(a), EnvelopeSealer.HeaderBytes(b));
    }
}

using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Protocol;

namespace Orchestrator.Shared.Tests.Crypto;

public class EnvelopeSignerTests
{
    private static Envelope Signed()
    {
        var envelope = EnvelopeSealer.Clear(MessageType.AuthChallenge, "master", "challenge"u8.ToArray(), 1_700_000_000_000);
        EnvelopeSigner.Sign(envelope, TestKeys.Master);
        return envelope;
    }

    [Fact]
    public void Verify_SignedBySameKey_ReturnsTrue()
    {
        Assert.True(EnvelopeSigner.Verify(Signed(), TestKeys.Master));
    }

    [Fact]
    public void Verify_OtherKey_ReturnsFalse()
    {
        Assert.False(EnvelopeSigner.Verify(Signed(), TestKeys.Other));
    }

    [Fact]
    public void Verify_NoSignature_ReturnsFalse()
    {
        var envelope = Signed();
        envelope.Signature = null;

        Assert.False(EnvelopeSigner.Verify(envelope, TestKeys.Master));
    }

    [Fact]
    public void Verify_AlteredBody_ReturnsFalse()
    {
        var envelope = Signed();
        envelope.Body[0] ^= 0x20;

        Assert.False(EnvelopeSigner.Verify(envelope, TestKeys.Master));
    }

    [Fact]
    public void Verify_AlteredHeader_ReturnsFalse()
    {
        var envelope = Signed();
        envelope.Timestamp++;

        Assert.False(EnvelopeSigner.Verify(envelope, TestKeys.Master));
    }
}

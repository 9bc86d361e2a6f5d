using Orchestrator.Shared.Crypto;

namespace Orchestrator.Shared.Tests.Crypto;

public class AuthTranscriptTests
{
    private static readonly byte[] Challenge = [1, 2, 3, 4, 5, 6, 7, 8];
    private const string MasterFinger = "aa:bb";

    [Fact]
    public void Verify_SignedTranscript_ReturnsTrue()
    {
        var signature = AuthTranscript.Sign(TestKeys.Other, Challenge, "web1", MasterFinger);

        Assert.True(AuthTranscript.Verify(TestKeys.Other, Challenge, "web1", MasterFinger, signature));
    }

    [Theory]
    [InlineData("web2", MasterFinger)]
    [InlineData("web1", "aa:bc")]
    public void Verify_OtherMinionOrMaster_ReturnsFalse(string minionId, string masterFinger)
    {
        var signature = AuthTranscript.Sign(TestKeys.Other, Challenge, "web1", MasterFinger);

        Assert.False(AuthTranscript.Verify(TestKeys.Other, Challenge, minionId, masterFinger, signature));
    }

    [Fact]
    public void Verify_OtherChallenge_ReturnsFalse()
    {
        var signature = AuthTranscript.Sign(TestKeys.Other, Challenge, "web1", MasterFinger);

        Assert.False(AuthTranscript.Verify(TestKeys.Other, [1, 2, 3], "web1", MasterFinger, signature));
    }

    [Fact]
    public void Verify_SignedByOtherKey_ReturnsFalse()
    {
        var signature = AuthTranscript.Sign(TestKeys.Master, Challenge, "web1", MasterFinger);

        Assert.False(AuthTranscript.Verify(TestKeys.Other, Challenge, "web1", MasterFinger, signature));
    }

    [Fact]
    public void Build_StartsWithContextString()
    {
        var transcript = AuthTranscript.Build(Challenge, "web1", MasterFinger);

        Assert.Equal("orch-auth-v1\0"u8.ToArray(), transcript[..13]);
    }
}

using System.Security.Cryptography;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Shared.Tests.Crypto;

public sealed class AuthResultKeysTests
{
    private static readonly byte[] MinionKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] PublishKey = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void SealThenOpen_GivesBothKeysBack()
    {
        var result = new AuthResult();
        AuthResultKeys.Seal(result, TestKeys.Master, MinionKey, PublishKey);

        var (minion, publish) = AuthResultKeys.Open(result, TestKeys.Master);

        Assert.Equal(MinionKey, minion);
        Assert.Equal(PublishKey, publish);
    }

    [Fact]
    public void Seal_AlsoFillsTheSeparateBlocksForOlderMinions()
    {
        var result = new AuthResult();
        AuthResultKeys.Seal(result, TestKeys.Master, MinionKey, PublishKey);

        Assert.Equal(MinionKey, TestKeys.Master.Decrypt(result.EncryptedMinionKey, RSAEncryptionPadding.OaepSHA256));
        Assert.Equal(PublishKey, TestKeys.Master.Decrypt(result.EncryptedSessionKey, RSAEncryptionPadding.OaepSHA256));
    }

    [Fact]
    public void Open_ResultFromAnOlderMaster_ReadsTheSeparateBlocks()
    {
        var result = new AuthResult
        {
            EncryptedMinionKey = TestKeys.Master.Encrypt(MinionKey, RSAEncryptionPadding.OaepSHA256),
            EncryptedSessionKey = TestKeys.Master.Encrypt(PublishKey, RSAEncryptionPadding.OaepSHA256),
        };

        var (minion, publish) = AuthResultKeys.Open(result, TestKeys.Master);

        Assert.Equal(MinionKey, minion);
        Assert.Equal(PublishKey, publish);
    }

    [Fact]
    public void Open_CombinedBlockWithABadLength_Refuses()
    {
        var result = new AuthResult { EncryptedKeys = TestKeys.Master.Encrypt([200, 1, 2, 3], RSAEncryptionPadding.OaepSHA256) };

        var error = Assert.ThrowsAny<CryptographicException>(() => AuthResultKeys.Open(result, TestKeys.Master));
        Assert.Contains("malformed", error.Message);
    }

    [Fact]
    public void Open_BlockForAnotherKey_Refuses()
    {
        var result = new AuthResult();
        AuthResultKeys.Seal(result, TestKeys.Other, MinionKey, PublishKey);

        Assert.ThrowsAny<CryptographicException>(() => AuthResultKeys.Open(result, TestKeys.Master));
    }
}

using System.Security.Cryptography;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Shared.Crypto;

/// <summary>
/// The two AES keys an accepted minion gets in its <see cref="AuthResult"/>: its own key and the publish key. Both travel in
/// one RSA-OAEP block (<see cref="AuthResult.EncryptedKeys"/>), so the minion spends one private-key operation on them
/// instead of two; the two separate blocks are still sent for minions from before it, and read from masters before it.
/// </summary>
public static class AuthResultKeys
{
    /// <summary>Fills the result's key fields for <paramref name="minionPublicKey"/>.</summary>
    public static void Seal(AuthResult result, RSA minionPublicKey, byte[] minionKey, byte[] publishKey)
    {
        if (minionKey.Length is 0 or > byte.MaxValue)
        {
            throw new ArgumentException("a minion key of 1 to 255 bytes", nameof(minionKey));
        }
        byte[] both = [(byte)minionKey.Length, .. minionKey, .. publishKey];
        try
        {
            result.EncryptedKeys = minionPublicKey.Encrypt(both, RSAEncryptionPadding.OaepSHA256);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(both);
        }
        result.EncryptedMinionKey = minionPublicKey.Encrypt(minionKey, RSAEncryptionPadding.OaepSHA256);
        result.EncryptedSessionKey = minionPublicKey.Encrypt(publishKey, RSAEncryptionPadding.OaepSHA256);
    }

    /// <summary>The minion key and publish key of an accepted result, decrypted with the minion's own key.</summary>
    /// <exception cref="CryptographicException">The blocks are not for this key, or the combined block is malformed.</exception>
    public static (byte[] MinionKey, byte[] PublishKey) Open(AuthResult result, RSA identity)
    {
        if (result.EncryptedKeys.Length == 0)
        {
            return (identity.Decrypt(result.EncryptedMinionKey, RSAEncryptionPadding.OaepSHA256),
                identity.Decrypt(result.EncryptedSessionKey, RSAEncryptionPadding.OaepSHA256));
        }
        var both = identity.Decrypt(result.EncryptedKeys, RSAEncryptionPadding.OaepSHA256);
        try
        {
            if (both.Length < 2 || both[0] == 0 || both[0] >= both.Length - 1)
            {
                throw new CryptographicException("auth result keys are malformed");
            }
            return (both[1..(1 + both[0])], both[(1 + both[0])..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(both);
        }
    }
}

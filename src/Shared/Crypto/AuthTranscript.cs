using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Shared.Crypto;

/// <summary>What a minion signs to prove possession of its private key: a context string, the challenge, its id and the master's fingerprint.</summary>
/// <remarks>Binding the master's fingerprint means a proof made for one master is useless to another.</remarks>
public static class AuthTranscript
{
    /// <summary>The bytes to sign.</summary>
    public static byte[] Build(byte[] challenge, string minionId, string masterFingerprint) =>
        [.. "orch-auth-v1\0"u8, .. challenge, 0, .. Encoding.UTF8.GetBytes(minionId), 0, .. Encoding.UTF8.GetBytes(masterFingerprint)];

    /// <summary>Signs the transcript with the minion's key.</summary>
    public static byte[] Sign(RSA minionKey, byte[] challenge, string minionId, string masterFingerprint) =>
        minionKey.SignData(Build(challenge, minionId, masterFingerprint), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);

    /// <summary>Verifies a proof against the minion's accepted public key.</summary>
    public static bool Verify(RSA minionPublicKey, byte[] challenge, string minionId, string masterFingerprint, byte[] signature) =>
        minionPublicKey.VerifyData(
            Build(challenge, minionId, masterFingerprint), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
}

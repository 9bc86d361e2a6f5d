using System.Security.Cryptography;
using Orchestrator.Shared.Protocol;

namespace Orchestrator.Shared.Crypto;

/// <summary>The master's RSA-PSS signature over an envelope's header and body, so minions can tell a forged publish or auth reply.</summary>
public static class EnvelopeSigner
{
    /// <summary>Signs header and body and stores the signature in the envelope.</summary>
    public static void Sign(Envelope envelope, RSA key) =>
        envelope.Signature = key.SignData(SignedBytes(envelope), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);

    /// <summary>True when the envelope carries a valid signature by <paramref name="key"/>.</summary>
    public static bool Verify(Envelope envelope, RSA key) =>
        envelope.Signature is { Length: > 0 } signature
        && key.VerifyData(SignedBytes(envelope), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);

    private static byte[] SignedBytes(Envelope envelope) => [.. EnvelopeSealer.HeaderBytes(envelope), .. envelope.Body];
}

using System.Diagnostics;
using System.Security.Cryptography;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Bench.Handshake;

/// <summary>
/// <c>orch-bench handshake [--rounds N]</c>: the public-key work of one authentication on each side, through the product's
/// own crypto calls, on one thread: what bounds how many minions a master core authenticates per second, and what a minion
/// spends before it is authenticated. The rows marked "before" redo what the code did until 2026-12-01 (two imports of the
/// minion key checked by exporting it out of OpenSSL, two OAEP blocks) so the change can be seen on the same machine.
/// </summary>
public static class HandshakeCrypto
{
    public static int Run(string[] args)
    {
        var i = Array.IndexOf(args, "--rounds");
        var rounds = i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : 400;
        using var master = RSA.Create(2048);
        using var minion = RSA.Create(2048);
        var minionPem = minion.ExportSubjectPublicKeyInfoPem();
        var masterFingerprint = KeyFingerprint.Of(master.ExportSubjectPublicKeyInfoPem());
        var challenge = RandomNumberGenerator.GetBytes(32);
        var proof = AuthTranscript.Sign(minion, challenge, "web1", masterFingerprint);
        var (minionKey, publishKey) = (EnvelopeSealer.NewKey(), EnvelopeSealer.NewKey());
        var sealedResult = new AuthResult();
        AuthResultKeys.Seal(sealedResult, minion, minionKey, publishKey);
        var reply = new Envelope { Kind = MessageType.AuthResult, SenderId = "master", Body = new byte[300] };

        Console.WriteLine($"| one handshake, {rounds} rounds each | µs |");
        Console.WriteLine("|---|--:|");
        var masterNow = Row("master: minion key imported and checked (once)", rounds, () => RsaKeyPair.ImportPublic(minionPem).Dispose())
            + Row("master: proof verified", rounds, () => AuthTranscript.Verify(minion, challenge, "web1", masterFingerprint, proof))
            + 2 * Row("master: reply signed (x2: challenge, result)", rounds, () => EnvelopeSigner.Sign(reply, master))
            + Row("master: keys sealed (combined block + two for older minions)", rounds, () => AuthResultKeys.Seal(new AuthResult(), minion, minionKey, publishKey));
        var masterBefore = 2 * Row("before: minion key imported, checked by export (x2)", rounds, () =>
            {
                using var key = RSA.Create();
                key.ImportFromPem(minionPem);
                _ = key.ExportParameters(false);
            })
            + Row("before: proof verified", rounds, () => AuthTranscript.Verify(minion, challenge, "web1", masterFingerprint, proof))
            + 2 * Row("before: reply signed (x2)", rounds, () => EnvelopeSigner.Sign(reply, master))
            + 2 * Row("before: one key OAEP-encrypted (x2)", rounds, () => minion.Encrypt(minionKey, RSAEncryptionPadding.OaepSHA256));
        var minionNow = Row("minion: proof signed", rounds, () => AuthTranscript.Sign(minion, challenge, "web1", masterFingerprint))
            + Row("minion: keys opened (one OAEP block)", rounds, () => AuthResultKeys.Open(sealedResult, minion));
        var minionBefore = Row("before: proof signed", rounds, () => AuthTranscript.Sign(minion, challenge, "web1", masterFingerprint))
            + 2 * Row("before: one key OAEP-decrypted (x2)", rounds, () => minion.Decrypt(sealedResult.EncryptedMinionKey, RSAEncryptionPadding.OaepSHA256));
        Console.WriteLine($"| **master per handshake: {masterBefore:F0} before, {masterNow:F0} now** | {1e6 / masterNow:F0} handshakes/s per core |");
        Console.WriteLine($"| **minion per handshake: {minionBefore:F0} before, {minionNow:F0} now** | |");
        return 0;
    }

    private static double Row(string name, int rounds, Action action) => MicroTimer.Row(name, rounds, action);
}

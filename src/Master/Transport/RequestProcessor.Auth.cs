using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Orchestrator.Master.Auth;
using Orchestrator.Master.Events;
using Orchestrator.Master.Hosting;
using Orchestrator.Master.Keys;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;
using Orchestrator.Shared.Security;

namespace Orchestrator.Master.Transport;

/// <summary>The authentication handshake: a minion's hello, the master's signed challenge, the proof and the result.</summary>
public sealed partial class RequestProcessor
{
    private void HandleHello(InboundFrame frame, Envelope envelope)
    {
        var hello = WireCodec.Deserialize<AuthHello>(envelope.Body);
        if (NameValidator.CheckMinionId(hello.MinionId) is { } idError || hello.MinionId != envelope.SenderId)
        {
            _metrics.CountMalformed();
            MasterLog.FrameDropped(_logger, "bad-id", Peer(frame), NameValidator.CheckMinionId(hello.MinionId) ?? "id mismatch");
            return;
        }
        RSA helloKey;
        try
        {
            helloKey = RsaKeyPair.ImportPublic(hello.PublicKeyPem);
        }
        catch (CryptographicException e)
        {
            MasterLog.AuthFailed(_logger, hello.MinionId, e.Message);
            ReplyChallenge(frame, envelope, "failed", [], e.Message);
            return;
        }
        // The imported key is kept with the challenge for the proof (an import costs about what an RSA signature does);
        // on every other way out of here it is let go.
        using var handOver = new KeyHandOver(helloKey);
        var autoAccept = _options.AutoAccept
            || _options.AutosignIds.Any(glob => Shared.Targeting.FnMatch.IsMatch(hello.MinionId, glob));
        KeyState state;
        try
        {
            state = _keys.Observe(hello.MinionId, hello.PublicKeyPem, autoAccept, _options.MaxPendingKeys);
        }
        catch (PendingKeysFullException e)
        {
            // A flood of new ids must not fill the disk with pending keys: a real new minion retries, and the operator
            // sees why in the log (once per interval) and in manage.stats.
            _metrics.CountPendingKeysFull();
            if (_logThrottle.ShouldLog("pending-full", out var hidden))
            {
                MasterLog.PendingKeysFull(_logger, hello.MinionId, e.Max, hidden);
            }
            ReplyChallenge(frame, envelope, "failed", [], e.Message);
            return;
        }
        MasterLog.KeyObserved(_logger, hello.MinionId, state.ToString());
        if (state != KeyState.Accepted)
        {
            // Salt fires salt/auth on every attempt of a key that is not accepted: act pend (result True) is what an
            // auto-accept reactor answers; reject and denied (a key other than the accepted one) come with result False.
            _events.Publish(EventTag.Auth, AuthEvent(hello.MinionId, state switch
            {
                KeyState.Pending => "pend",
                KeyState.Rejected => "reject",
                _ => "denied",
            }, state == KeyState.Pending, hello.PublicKeyPem));
            ReplyChallenge(frame, envelope, state.ToString().ToLowerInvariant(), [], $"minion key is {state.ToString().ToLowerInvariant()}");
            return;
        }
        var challenge = RandomNumberGenerator.GetBytes(32);
        var issued = new IssuedChallenge(challenge, _time.GetUtcNow() + ChallengeLifetime, hello.PublicKeyPem, handOver.Take());
        // A challenge this one replaces is not disposed here: a proof being checked on another worker may hold its key. Its
        // handle is released by the finalizer, and only accepted ids get this far, so they are few.
        _challenges[hello.MinionId] = issued;
        ReplyChallenge(frame, envelope, "accepted", challenge, "sign the challenge");
    }

    private void HandleProof(InboundFrame frame, Envelope envelope)
    {
        var proof = WireCodec.Deserialize<AuthProof>(envelope.Body);
        var id = proof.MinionId;
        if (NameValidator.CheckMinionId(id) is not null || id != envelope.SenderId)
        {
            _metrics.CountMalformed();
            return;
        }
        // A challenge answers once: take it out before checking, so a failed or repeated proof cannot be retried against it.
        if (!_challenges.TryRemove(id, out var expected))
        {
            RefuseProof(frame, envelope, proof, "no outstanding challenge");
            return;
        }
        using var helloKey = expected.Key;
        if (expected.Expires < _time.GetUtcNow() || !CryptographicOperations.FixedTimeEquals(expected.Challenge, proof.Challenge))
        {
            RefuseProof(frame, envelope, proof, "no outstanding challenge");
            return;
        }
        // Read again: the key may have been deleted or rejected since the hello.
        var pem = _keys.Read(KeyState.Accepted, id);
        if (pem is null)
        {
            RefuseProof(frame, envelope, proof, "key not accepted");
            return;
        }
        using var replaced = pem == expected.PublicKeyPem ? null : RsaKeyPair.ImportPublic(pem);
        var minionKey = replaced ?? helloKey;
        if (!AuthTranscript.Verify(minionKey, proof.Challenge, id, _masterKey.Fingerprint, proof.Signature))
        {
            _metrics.CountForged();
            MasterLog.AuthFailed(_logger, id, "signature does not match the accepted key");
            _events.Publish(EventTag.Auth, AuthEvent(id, "denied", false, pem));
            ReplyResult(frame, envelope, new AuthResult { Status = "failed", Message = "bad proof", Challenge = proof.Challenge });
            return;
        }
        var sessionKey = EnvelopeSealer.NewKey();
        if (proof.ForCall)
        {
            _sessions.SetCall(new MinionSession(id, sessionKey, frame.RoutingId));
        }
        else
        {
            _sessions.Set(new MinionSession(id, sessionKey, frame.RoutingId));
        }
        var publishKey = _keyring.Current;
        var accepted = new AuthResult { Status = "accepted", Challenge = proof.Challenge, SessionKeyGeneration = publishKey.Generation };
        AuthResultKeys.Seal(accepted, minionKey, sessionKey, publishKey.Key);
        ReplyResult(frame, envelope, accepted);
        _minions.Touch(id, _time.GetUtcNow());
        MasterLog.Authenticated(_logger, id);
        _events.Publish(EventTag.Auth, AuthEvent(id, "accept", true, pem));
    }

    /// <summary>
    /// Refuses a proof that answers no challenge of ours: unsigned, so a stream of them costs no RSA (a real minion takes an
    /// unsigned reply as no answer and starts its handshake again), and logged once per interval.
    /// </summary>
    private void RefuseProof(InboundFrame frame, Envelope envelope, AuthProof proof, string reason)
    {
        if (_logThrottle.ShouldLog("proof-refused", out var hidden))
        {
            MasterLog.AuthFailed(_logger, proof.MinionId, hidden == 0 ? reason : $"{reason} ({hidden} more refused since the last line)");
        }
        ReplyClear(frame.RoutingId, MessageType.AuthResult, WireCodec.Serialize(new AuthResult
        {
            Status = "failed",
            Message = reason,
            Challenge = proof.Challenge,
        }), envelope.Nonce);
    }

    /// <summary>A challenge sent to a minion, with the public key its hello named (already imported and checked).</summary>
    private sealed record IssuedChallenge(byte[] Challenge, DateTimeOffset Expires, string PublicKeyPem, RSA Key);

    /// <summary>Owns an imported key until <see cref="Take"/> hands it on; disposes it otherwise.</summary>
    private sealed class KeyHandOver(RSA key) : IDisposable
    {
        private RSA? _key = key;

        public RSA Take() => Interlocked.Exchange(ref _key, null) ?? throw new InvalidOperationException("key handed over twice");

        public void Dispose() => _key?.Dispose();
    }

    /// <summary>Salt's <c>salt/auth</c> data: <c>{id, act, result, pub}</c>.</summary>
    private static Dictionary<string, object?> AuthEvent(string id, string act, bool result, string publicKeyPem) => new(StringComparer.Ordinal)
    {
        ["id"] = id,
        ["act"] = act,
        ["result"] = result,
        ["pub"] = publicKeyPem,
    };

    private void ReplyChallenge(InboundFrame frame, Envelope request, string status, byte[] challenge, string message) =>
        ReplySigned(frame.RoutingId, MessageType.AuthChallenge, WireCodec.Serialize(new AuthChallenge
        {
            Status = status,
            Challenge = challenge,
            MasterPublicKeyPem = _masterKey.PublicPem,
            Message = message,
        }), request.Nonce);

    private void ReplyResult(InboundFrame frame, Envelope request, AuthResult result) =>
        ReplySigned(frame.RoutingId, MessageType.AuthResult, WireCodec.Serialize(result), request.Nonce);
}

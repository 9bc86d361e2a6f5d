using System.Security.Cryptography;
using NetMQ;
using NetMQ.Sockets;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Testing;

/// <summary>
/// A hand-driven peer on the master's request port: speaks the wire protocol step by step, so security tests can send
/// exactly the frames an attacker would (unsealed kinds, forged senders, replays, garbage).
/// </summary>
public sealed class TestPeer : IDisposable
{
    private readonly DealerSocket _dealer = new();

    public TestPeer(int retPort, string id)
    {
        Id = id;
        _dealer.Options.Linger = TimeSpan.Zero;
        _dealer.Connect($"tcp://127.0.0.1:{retPort}");
        Key = RSA.Create(2048);
    }

    public string Id { get; }

    public RSA Key { get; }

    public string PublicPem => Key.ExportSubjectPublicKeyInfoPem();

    /// <summary>The per-minion key after a successful <see cref="AuthenticateAsync"/>.</summary>
    public byte[]? SessionKey { get; private set; }

    public void SendRaw(byte[] frame) => _dealer.SendFrame(frame);

    public void Send(Envelope envelope) => SendRaw(WireCodec.Serialize(envelope));

    /// <summary>Receives the next frame as an envelope, or null when nothing arrives in time.</summary>
    public Envelope? Receive(TimeSpan timeout) =>
        _dealer.TryReceiveFrameBytes(timeout, out var frame) && WireCodec.TryDecodeEnvelope(frame, int.MaxValue, out var envelope, out _)
            ? envelope
            : null;

    public Envelope Clear(MessageType kind, byte[] body) => EnvelopeSealer.Clear(kind, Id, body, Now());

    public Envelope Sealed(MessageType kind, byte[] body, string? claimedSender = null) =>
        EnvelopeSealer.Seal(kind, claimedSender ?? Id, SessionKey ?? EnvelopeSealer.NewKey(), body, Now());

    /// <summary>Runs the real handshake with this peer's key; returns the final status.</summary>
    public string Authenticate(string masterFingerprint)
    {
        Send(Clear(MessageType.AuthHello, WireCodec.Serialize(new AuthHello { MinionId = Id, PublicKeyPem = PublicPem })));
        var challengeEnvelope = Receive(TimeSpan.FromSeconds(5)) ?? throw new TimeoutException("no auth challenge");
        var challenge = WireCodec.Deserialize<AuthChallenge>(challengeEnvelope.Body);
        if (challenge.Status != "accepted")
        {
            return challenge.Status;
        }
        Send(Clear(MessageType.AuthProof, WireCodec.Serialize(new AuthProof
        {
            MinionId = Id,
            Challenge = challenge.Challenge,
            Signature = AuthTranscript.Sign(Key, challenge.Challenge, Id, masterFingerprint),
        })));
        var resultEnvelope = Receive(TimeSpan.FromSeconds(5)) ?? throw new TimeoutException("no auth result");
        var result = WireCodec.Deserialize<AuthResult>(resultEnvelope.Body);
        if (result.Status == "accepted")
        {
            SessionKey = AuthResultKeys.Open(result, Key).MinionKey;
        }
        return result.Status;
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public void Dispose()
    {
        _dealer.Dispose();
        Key.Dispose();
    }
}

using System.Security.Cryptography;
using Orchestrator.Minion.Hosting;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;

namespace Orchestrator.Minion.Transport;

/// <summary>Publishes from the master: checked, opened with the publish key (refreshed when it rotated) and handed on.</summary>
public sealed partial class MasterConnection
{
    private async Task ConsumePublishesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var frame in _publishes.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    if (await OpenPublishAsync(frame, cancellationToken).ConfigureAwait(false) is { } job && OnJob is { } onJob)
                    {
                        await onJob(job, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (e is WireFormatException or MasterUnreachableException or ReauthRequiredException)
                {
                    if (e is ReauthRequiredException)
                    {
                        // The publish key refresh was told the session is unknown: the master has restarted.
                        CheckSessionEarly();
                    }
                    Count("undecodable");
                    MinionLog.PublishDropped(_logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private async Task<JobPublish?> OpenPublishAsync(byte[] frame, CancellationToken cancellationToken)
    {
        if (!WireCodec.TryDecodeEnvelope(frame, _options.MaxMessageSize, out var envelope, out var error) || envelope.Kind != MessageType.JobPublish)
        {
            return Drop("malformed", error);
        }
        if (_masterKey is null)
        {
            // Not a forgery: the SUB socket connects before the handshake pins the master's key, so publishes of jobs that
            // were never meant for this minion (it had not authenticated) arrive first. Counted apart, said at debug level.
            Count("before-auth");
            MinionLog.PublishBeforeAuth(_logger);
            return null;
        }
        if (!EnvelopeSigner.Verify(envelope, _masterKey))
        {
            return Drop("forged", "publish not signed by the pinned master key");
        }
        if (_replay.Check("master-publish", envelope.Timestamp, envelope.Nonce) is { } replayError)
        {
            return Drop("replayed", replayError);
        }
        if (_publishKey?.Generation != envelope.KeyGeneration)
        {
            await RefreshPublishKeyAsync(envelope.KeyGeneration, cancellationToken).ConfigureAwait(false);
        }
        // From here on the publish is the pinned master's (signed, not replayed): if this minion's keys cannot open it,
        // its session is what is stale (a restarted master), so it checks the session now instead of at the next heartbeat.
        if (_publishKey is not { } publishKey || publishKey.Generation != envelope.KeyGeneration)
        {
            CheckSessionEarly();
            return Drop("stale-key", $"publish key generation {envelope.KeyGeneration} unavailable");
        }
        try
        {
            return WireCodec.Deserialize<JobPublish>(EnvelopeSealer.Open(envelope, publishKey.Key));
        }
        catch (CryptographicException)
        {
            CheckSessionEarly();
            return Drop("undecryptable", "publish could not be opened");
        }
    }

    private async Task RefreshPublishKeyAsync(int wanted, CancellationToken cancellationToken)
    {
        await _sessionKeyLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_publishKey?.Generation == wanted || _minionKey is null)
            {
                return;
            }
            var (kind, body) = await RequestAsync(MessageType.SessionKeyRequest, [], _options.AuthTimeout, cancellationToken).ConfigureAwait(false);
            if (kind == MessageType.SessionKeyResponse)
            {
                var response = WireCodec.Deserialize<SessionKeyResponse>(body);
                _publishKey = (response.Generation, response.Key);
            }
        }
        finally
        {
            _sessionKeyLock.Release();
        }
    }

    private void CheckSessionEarly()
    {
        if (_sessionCheck.RequestEarly())
        {
            MinionLog.SessionCheckEarly(_logger);
        }
    }

    private JobPublish? Drop(string reason, string detail)
    {
        Count(reason);
        MinionLog.PublishDropped(_logger, $"{reason}: {detail}");
        return null;
    }
}

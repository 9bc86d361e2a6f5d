namespace Orchestrator.Master.Transport;

/// <summary>
/// Counters of what the master received, re-sent and dropped (and why), so an operator (and a test) can see rejected traffic
/// and load (<c>orch run manage.stats</c>).
/// </summary>
public sealed class MasterMetrics
{
    private long _malformed;
    private long _oversized;
    private long _replayed;
    private long _forged;
    private long _unauthenticated;
    private long _refusedKind;
    private long _impersonation;
    private long _unknownJob;
    private long _untargeted;
    private long _authThrottled;
    private long _pendingKeysFull;
    private long _published;
    private long _republished;
    private long _inboundPaused;
    private long _acks;
    private long _returns;
    private long _resendRoundsDeferred;
    private long _ackLatencyMs;

    public long Malformed => Interlocked.Read(ref _malformed);
    public long Oversized => Interlocked.Read(ref _oversized);
    public long Replayed => Interlocked.Read(ref _replayed);
    public long Forged => Interlocked.Read(ref _forged);
    public long Unauthenticated => Interlocked.Read(ref _unauthenticated);
    public long RefusedKind => Interlocked.Read(ref _refusedKind);
    public long Impersonation => Interlocked.Read(ref _impersonation);
    public long UnknownJob => Interlocked.Read(ref _unknownJob);
    public long Untargeted => Interlocked.Read(ref _untargeted);
    public long AuthThrottled => Interlocked.Read(ref _authThrottled);
    public long PendingKeysFull => Interlocked.Read(ref _pendingKeysFull);
    public long Published => Interlocked.Read(ref _published);
    public long Republished => Interlocked.Read(ref _republished);
    public long InboundPaused => Interlocked.Read(ref _inboundPaused);
    public long Acks => Interlocked.Read(ref _acks);
    public long Returns => Interlocked.Read(ref _returns);
    public long ResendRoundsDeferred => Interlocked.Read(ref _resendRoundsDeferred);

    /// <summary>Smoothed time from a publish to a minion's first ack or return, in milliseconds (a gauge, not a counter).</summary>
    public long AckLatencyMs => Interlocked.Read(ref _ackLatencyMs);

    public void CountMalformed() => Interlocked.Increment(ref _malformed);
    public void CountOversized() => Interlocked.Increment(ref _oversized);
    public void CountReplayed() => Interlocked.Increment(ref _replayed);
    public void CountForged() => Interlocked.Increment(ref _forged);
    public void CountUnauthenticated() => Interlocked.Increment(ref _unauthenticated);
    public void CountRefusedKind() => Interlocked.Increment(ref _refusedKind);
    public void CountImpersonation() => Interlocked.Increment(ref _impersonation);
    public void CountUnknownJob() => Interlocked.Increment(ref _unknownJob);
    public void CountUntargeted() => Interlocked.Increment(ref _untargeted);
    public void CountAuthThrottled() => Interlocked.Increment(ref _authThrottled);
    public void CountPendingKeysFull() => Interlocked.Increment(ref _pendingKeysFull);
    public void CountPublished() => Interlocked.Increment(ref _published);
    public void CountRepublished() => Interlocked.Increment(ref _republished);
    public void CountInboundPaused() => Interlocked.Increment(ref _inboundPaused);
    public void CountAck() => Interlocked.Increment(ref _acks);
    public void CountReturn() => Interlocked.Increment(ref _returns);
    public void CountResendRoundDeferred() => Interlocked.Increment(ref _resendRoundsDeferred);
    public void SetAckLatency(double milliseconds) => Interlocked.Exchange(ref _ackLatencyMs, (long)milliseconds);

    public Dictionary<string, object?> Snapshot() => new(StringComparer.Ordinal)
    {
        ["malformed"] = Malformed,
        ["oversized"] = Oversized,
        ["replayed"] = Replayed,
        ["forged"] = Forged,
        ["unauthenticated"] = Unauthenticated,
        ["refused_kind"] = RefusedKind,
        ["impersonation"] = Impersonation,
        ["unknown_job"] = UnknownJob,
        ["untargeted_return"] = Untargeted,
        ["auth_throttled"] = AuthThrottled,
        ["pending_keys_full"] = PendingKeysFull,
        ["published"] = Published,
        ["republished"] = Republished,
        ["acks"] = Acks,
        ["returns"] = Returns,
        ["inbound_paused"] = InboundPaused,
        ["resend_rounds_deferred"] = ResendRoundsDeferred,
        ["ack_latency_ms"] = AckLatencyMs,
    };
}

namespace Orchestrator.Master.Reactor;

/// <summary>The reactor's counters (<c>orch run reactor.stats</c>).</summary>
public sealed class ReactorStats
{
    private long _matched;
    private long _run;
    private long _rateLimited;
    private long _deduplicated;
    private long _dropped;
    private long _renderErrors;
    private long _failed;

    /// <summary>Rule matches: an event matching two rules counts twice.</summary>
    public long Matched => Interlocked.Read(ref _matched);

    /// <summary>Actions started.</summary>
    public long Run => Interlocked.Read(ref _run);

    /// <summary>Actions (or whole matches, when the rule's budget was already spent) not run for the rate limit.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    /// <summary>Actions not run because the same rule ran the same action within the de-duplication window.</summary>
    public long Deduplicated => Interlocked.Read(ref _deduplicated);

    /// <summary>Matches dropped because <c>reactor_worker_hwm</c> were already waiting (or left queued at shutdown).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Reactor SLS files that failed to read, render (Jinja or YAML) or compile to actions.</summary>
    public long RenderErrors => Interlocked.Read(ref _renderErrors);

    /// <summary>Actions that started and failed (bad target, unknown function, a runner that threw).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    internal void CountMatched() => Interlocked.Increment(ref _matched);
    internal void CountRun() => Interlocked.Increment(ref _run);
    internal void CountRateLimited() => Interlocked.Increment(ref _rateLimited);
    internal void CountDeduplicated() => Interlocked.Increment(ref _deduplicated);
    internal void CountDropped(long n = 1) => Interlocked.Add(ref _dropped, n);
    internal void CountRenderError() => Interlocked.Increment(ref _renderErrors);
    internal void CountFailed() => Interlocked.Increment(ref _failed);

    public Dictionary<string, object?> Snapshot(int queued) => new(StringComparer.Ordinal)
    {
        ["matched"] = Matched,
        ["run"] = Run,
        ["rate_limited"] = RateLimited,
        ["deduplicated"] = Deduplicated,
        ["dropped"] = Dropped,
        ["render_errors"] = RenderErrors,
        ["failed"] = Failed,
        ["queued"] = (long)queued,
    };
}

using Microsoft.Extensions.Logging;
using Orchestrator.Master.Auth;
using Orchestrator.Master.Events;
using Orchestrator.Master.Hosting;
using Orchestrator.Master.Keys;
using Orchestrator.Master.Pillar;
using Orchestrator.Master.Transport;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;
using Orchestrator.Shared.Targeting;

namespace Orchestrator.Master.Jobs;

/// <summary>
/// Publishes jobs and makes sure they arrive: every expected minion must acknowledge a publish, and one that has not is
/// sent the job again on its own topic until it does or the job's timeout passes (PUB drops silently at its high-water
/// mark, so a publish alone is no delivery guarantee).
/// </summary>
public sealed class JobDispatcher
{
    // A lost publish is still re-sent within a minute, however slow the acks have been.
    private const double MaxResendFloorMs = 60_000;

    // publish_fanout: auto switches from the PUB socket to the sessions' request connections above this many connected
    // minions. NetMQ's PUB costs time quadratic in its subscribers per broadcast (~1 ms at 500, ~9 ms at 1,000, ~90 ms at
    // 4,000: orch-bench fanout); a ROUTER send finds its peer by id, so a fan-out over it is linear.
    private const int RouterFanoutAbove = 500;

    private readonly MasterTransport _transport;
    private readonly RsaKeyPair _masterKey;
    private readonly SessionKeyring _keyring;
    private readonly IJobCache _cache;
    private readonly EventBus _events;
    private readonly MasterMetrics _metrics;
    private readonly MasterOptions _options;
    private readonly KeyStore _keys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly JidGenerator _jids;
    private readonly PillarCompiler _pillar;
    private readonly MinionDirectory _minions;
    private readonly SessionTable _sessions;
    private readonly Dictionary<string, ActiveJob> _active = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private double _ackLatencyMs;

    public JobDispatcher(
        MasterTransport transport, RsaKeyPair masterKey, SessionKeyring keyring, IJobCache cache, EventBus events,
        MasterMetrics metrics, MasterOptions options, KeyStore keys, PillarCompiler pillar, MinionDirectory minions, SessionTable sessions,
        TimeProvider time, ILogger<JobDispatcher> logger)
    {
        _sessions = sessions;
        _pillar = pillar;
        _minions = minions;
        _transport = transport;
        _masterKey = masterKey;
        _keyring = keyring;
        _cache = cache;
        _events = events;
        _metrics = metrics;
        _options = options;
        _keys = keys;
        _time = time;
        _logger = logger;
        _jids = new JidGenerator(time);
    }

    public string NewJid() => _jids.Next();

    /// <summary>Whether publishes go over each session's request connection instead of the PUB socket (publish_fanout).</summary>
    private bool FanOutOverRouter =>
        _options.PublishFanout == "router" || (_options.PublishFanout == "auto" && _sessions.Count > RouterFanoutAbove);

    /// <summary>The accepted minions a target matches, from the grains the master has cached.</summary>
    public IReadOnlyList<string> ExpectedMinions(string target, string targetType)
    {
        var type = TargetTypeExtensions.ParseTargetType(targetType);
        var expression = TargetMatcher.Parse(target, type, _options.Nodegroups);
        return _keys.List(KeyState.Accepted)
            .Where(id => expression.Matches(new MinionFacts(id, _minions.Grains(id), _pillar.Latest(id))))
            .ToList();
    }

    /// <summary>Stores and publishes a job to every minion (minions filter by target themselves) and tracks the expected set.</summary>
    public void Publish(JobPublish job, IReadOnlyList<string> expected)
    {
        var now = _time.GetUtcNow();
        job.Nodegroups = _options.Nodegroups;
        _cache.SaveJob(new JobRecord(
            job.Jid, job.Function, job.Args, job.Kwargs, job.Target, job.TargetType, job.User, now, job.Timeout, expected));
        var body = WireCodec.Serialize(job);
        var active = new ActiveJob(job, body, expected, now, now + TimeSpan.FromSeconds(Math.Max(job.Timeout, 1)));
        lock (_lock)
        {
            _active[job.Jid] = active;
        }
        _events.Publish(EventTag.JobNew(job.Jid), new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["jid"] = job.Jid,
            ["fun"] = job.Function,
            ["arg"] = FunArgs.Of(job.Args, job.Kwargs),
            ["tgt"] = job.Target,
            ["tgt_type"] = job.TargetType,
            ["user"] = job.User,
            ["minions"] = expected.Cast<object?>().ToList(),
            ["missing"] = new List<object?>(),
        });
        var frame = SealPublish(body);
        if (FanOutOverRouter)
        {
            foreach (var session in _sessions.Snapshot())
            {
                _transport.FanOut(session.RoutingId, frame);
            }
        }
        else
        {
            _transport.Publish("all/", frame);
        }
        _metrics.CountPublished();
        MasterLog.JobPublished(_logger, job.Jid, job.Function, job.Target, expected.Count);
    }

    private byte[] SealPublish(byte[] body)
    {
        var key = _keyring.Current;
        var envelope = EnvelopeSealer.Seal(
            MessageType.JobPublish, "master", key.Key, body, _time.GetUtcNow().ToUnixTimeMilliseconds(), key.Generation);
        EnvelopeSigner.Sign(envelope, _masterKey.Rsa);
        return WireCodec.Serialize(envelope);
    }

    /// <summary>
    /// Takes back, at start-up, the jobs of an earlier run of the master that are still inside their timeout: a minion that
    /// had not acknowledged one (it was down, or the publish was lost with the old process) gets it by the usual re-sends and
    /// by the catch-up after it authenticates, instead of never. A minion that already ran it only acknowledges the re-send
    /// (its jid journal), so nothing runs twice. Returns how many jobs were taken back.
    /// </summary>
    public int RestoreUnexpired()
    {
        var restored = 0;
        foreach (var (record, returned) in _cache.UnexpiredJobs(_time.GetUtcNow()))
        {
            var job = new JobPublish
            {
                Jid = record.Jid,
                Function = record.Function,
                Args = record.Args,
                Kwargs = record.Kwargs,
                Target = record.Target,
                TargetType = record.TargetType,
                User = record.User,
                Timeout = record.Timeout,
                Nodegroups = _options.Nodegroups,
            };
            var active = new ActiveJob(
                job, WireCodec.Serialize(job), record.Minions, record.StartedAt, record.StartedAt + TimeSpan.FromSeconds(Math.Max(job.Timeout, 1)));
            foreach (var minion in returned)
            {
                active.Acknowledge(minion);
                active.Returned.Add(minion);
            }
            lock (_lock)
            {
                if (_active.TryAdd(job.Jid, active))
                {
                    restored++;
                }
            }
        }
        if (restored > 0)
        {
            MasterLog.JobsRestored(_logger, restored);
        }
        return restored;
    }

    /// <summary>An expected minion acknowledged a job, by a JobAck or by its return (whichever came first).</summary>
    public void Acknowledged(string minionId, string jid)
    {
        lock (_lock)
        {
            if (_active.TryGetValue(jid, out var job) && job.Acknowledge(minionId))
            {
                // Smoothed time from publish to first ack, as TCP smooths its round-trip time (gain 1/16): under load it grows
                // with the queues in front of the master, and the first re-send waits at least twice as long.
                var sample = (_time.GetUtcNow() - job.Started).TotalMilliseconds;
                _ackLatencyMs += (sample - _ackLatencyMs) / 16;
                _metrics.SetAckLatency(_ackLatencyMs);
            }
        }
    }

    /// <summary>A minion's return for a job is stored.</summary>
    /// <summary>
    /// Records a stored return; false when this minion's return to this active job was stored before (a re-delivery, e.g.
    /// after a lost ReturnAck), so it is not announced twice. A return to a job past its timeout counts as new.
    /// </summary>
    public bool Returned(string minionId, string jid)
    {
        lock (_lock)
        {
            return !_active.TryGetValue(jid, out var job) || job.Returned.Add(minionId);
        }
    }

    /// <summary>A job's arguments as events carry them (<see cref="FunArgs"/>): from the active job, else from the cache.</summary>
    public List<object?> FunArgsOf(string jid)
    {
        lock (_lock)
        {
            if (_active.TryGetValue(jid, out var active))
            {
                return FunArgs.Of(active.Job.Args, active.Job.Kwargs);
            }
        }
        return _cache.GetJob(jid) is { } record ? FunArgs.Of(record.Args, record.Kwargs) : [];
    }

    /// <summary>
    /// Whether a job targeted a minion: from the active job's expected set, else from the cached job; null when the master
    /// knows no such job.
    /// </summary>
    public bool? Targeted(string jid, string minionId)
    {
        lock (_lock)
        {
            if (_active.TryGetValue(jid, out var active))
            {
                return active.Expected.Contains(minionId);
            }
        }
        return _cache.GetJob(jid) is { } record ? record.Minions.Contains(minionId, StringComparer.Ordinal) : null;
    }

    /// <summary>Whether a job is still inside its timeout (a cheap check before looking the job up in the cache).</summary>
    public bool IsActive(string jid)
    {
        lock (_lock)
        {
            return _active.ContainsKey(jid);
        }
    }

    /// <summary>
    /// Jobs still inside their timeout, with the minions that have not returned yet: copies taken under the lock, since
    /// workers keep updating the live sets.
    /// </summary>
    public IReadOnlyList<ActiveJobStatus> Active()
    {
        lock (_lock)
        {
            return _active.Values.OrderBy(j => j.Started).Select(j => new ActiveJobStatus(
                j.Job.Jid,
                j.Expected.Except(j.Returned).Order(StringComparer.Ordinal).ToList(),
                j.Returned.Order(StringComparer.Ordinal).ToList())).ToList();
        }
    }

    /// <summary>Re-sends every unacknowledged job to one minion (after it reconnects), so it catches up on what it missed.</summary>
    public void CatchUp(string minionId) => Resend(only: minionId);

    public async Task RunResendLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.PublishRetryInterval, _time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            // While requests wait for the workers, the missing acks are likely among them: a re-send now would be answered by
            // a second ack behind the first. The round's re-sends stay due and go out on the first round after the backlog.
            if (_transport.Congested)
            {
                _metrics.CountResendRoundDeferred();
                continue;
            }
            Resend(only: null);
        }
    }

    private void Resend(string? only)
    {
        List<(string Minion, ActiveJob Job)> sends;
        lock (_lock)
        {
            var floor = TimeSpan.FromMilliseconds(Math.Min(2 * _ackLatencyMs, MaxResendFloorMs));
            sends = ResendPlanner.Plan(_active, _time.GetUtcNow(), _options.PublishRetryInterval, only, floor);
        }
        // One seal and one RSA signature per job and round, sent to each lagging minion alone (its own topic, or its request
        // connection): signing per minion made a re-send round cost O(jobs x minions) private-key operations and melted a
        // loaded master (bench/README.md). Each minion still sees a fresh nonce every round, so its replay check is unaffected.
        var sealedFrames = new Dictionary<ActiveJob, byte[]>();
        foreach (var (minion, job) in sends)
        {
            if (!sealedFrames.TryGetValue(job, out var frame))
            {
                frame = SealPublish(job.Body);
                sealedFrames[job] = frame;
            }
            if (!FanOutOverRouter)
            {
                _transport.Publish($"m/{minion}/", frame);
            }
            else if (_sessions.TryGet(minion, out var session))
            {
                _transport.FanOut(session.RoutingId, frame);
            }
            else
            {
                // Not connected: it gets the job from the catch-up that follows its next authentication.
                continue;
            }
            _metrics.CountRepublished();
            MasterLog.JobRepublished(_logger, job.Job.Jid, minion);
        }
    }
}

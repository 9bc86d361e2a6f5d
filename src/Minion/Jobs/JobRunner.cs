using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orchestrator.Minion.Hosting;
using Orchestrator.Minion.Modules;
using Orchestrator.Minion.Transport;
using Orchestrator.Shared.Protocol;
using Orchestrator.Shared.Protocol.Messages;
using Orchestrator.Shared.Scheduling;
using Orchestrator.Shared.Targeting;

namespace Orchestrator.Minion.Jobs;

/// <summary>
/// Runs the jobs published to this minion: checks the target, acknowledges receipt, runs each job once (re-sends are
/// recognised by jid), and hands the return to the outbox until the master acknowledges it.
/// </summary>
public sealed class JobRunner : IRunningJobs, IDisposable
{
    /// <summary>Functions that change this minion's grains: after one succeeds, the master gets the new grains.</summary>
    private static readonly HashSet<string> GrainFunctions =
        new(["grains.append", "grains.delkey", "grains.delval", "grains.remove", "grains.setval", "grains.setvals", "saltutil.refresh_grains"],
            StringComparer.Ordinal);

    private readonly MinionOptions _options;
    private readonly ExecutionModuleRegistry _modules;
    private readonly MasterConnection _connection;
    private readonly ReturnOutbox _outbox;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly JidJournal _journal;
    private readonly ConcurrentDictionary<string, RunningJob> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _delivering = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _flushLock = new(1, 1);

    public JobRunner(
        MinionOptions options, ExecutionModuleRegistry modules, MasterConnection connection, ReturnOutbox outbox, TimeProvider time,
        ILogger<JobRunner> logger)
    {
        _options = options;
        _modules = modules;
        _connection = connection;
        _outbox = outbox;
        _time = time;
        _logger = logger;
        _slots = new SemaphoreSlim(options.WorkerThreads);
        _journal = new JidJournal(Path.Combine(options.CacheDir, "jid_journal"), time);
    }

    /// <summary>Completes when the minion's first pillar is loaded; jobs wait for it (up to the request timeout), as Salt's minion
    /// compiles pillar before it serves.</summary>
    public Task Ready { get; set; } = Task.CompletedTask;

    /// <summary>The context jobs run in; set once the minion has gathered its grains.</summary>
    public ModuleContext? Context { get; set; }

    public Task HandlePublishAsync(JobPublish job, CancellationToken cancellationToken)
    {
        var context = Context;
        if (context is null || !Targets(job, context))
        {
            return Task.CompletedTask;
        }
        if (!_journal.TryStart(job.Jid))
        {
            // The master sent the job again (maybe before this minion restarted), so it has not seen our ack or return, or a
            // captured publish is replayed: acknowledge at once, run it only once.
            SendAck(job.Jid);
            return Task.CompletedTask;
        }
        var returning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(() => RunAsync(job, context, returning, cancellationToken), cancellationToken);
        _ = AckUnlessReturningAsync(job.Jid, returning.Task, cancellationToken);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Acknowledges receipt only if the return is not on its way within <see cref="MinionOptions.AckDelay"/>: the master
    /// counts a return as an ack, so a fast job (test.ping, most module calls) costs the master one request instead of two.
    /// </summary>
    private async Task AckUnlessReturningAsync(string jid, Task returning, CancellationToken cancellationToken)
    {
        try
        {
            await returning.WaitAsync(_options.AckDelay, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            SendAck(jid);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private void SendAck(string jid) => _connection.Send(MessageType.JobAck, WireCodec.Serialize(new JobAck { Jid = jid }));

    /// <summary>
    /// Sends the changed grains to the master before the job's return, so a target by the new value (-G, compound, the pillar
    /// top file) matches as soon as the operator has seen the change succeed.
    /// </summary>
    private async Task AnnounceGrainsAsync(ModuleContext context, CancellationToken cancellationToken)
    {
        try
        {
            Dictionary<string, object?> grains;
            lock (context.Grains)
            {
                grains = new Dictionary<string, object?>(context.Grains, StringComparer.Ordinal);
            }
            await _connection.RequestAsync(MessageType.MinionStart, WireCodec.Serialize(new MinionStart { Grains = grains, GrainsOnly = true }),
                _options.AuthTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MasterUnreachableException or ReauthRequiredException)
        {
            // The next MinionStart (after re-authentication) carries them.
            MinionLog.GrainsNotAnnounced(_logger, e.Message);
        }
    }

    private bool Targets(JobPublish job, ModuleContext context)
    {
        try
        {
            var type = TargetTypeExtensions.ParseTargetType(job.TargetType);
            var facts = new MinionFacts(_options.Id, context.Grains, context.Pillar);
            return TargetMatcher.Matches(job.Target, type, facts, job.Nodegroups);
        }
        catch (TargetException)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts a scheduled run as a job of its own: under <paramref name="jid"/>, listed by <c>saltutil.running</c> with its
    /// schedule name when <see cref="ScheduledRun.JidInclude"/>, and returned to the master like any job unless
    /// <see cref="ScheduledRun.ReturnJob"/> is false. Returns the task of the whole run.
    /// </summary>
    public Task RunScheduledAsync(ScheduledRun run, string jid, CancellationToken cancellationToken)
    {
        if (Context is not { } context)
        {
            return Task.CompletedTask;
        }
        var job = new JobPublish
        {
            Jid = jid, Function = run.Function, Args = run.Args, Kwargs = run.Kwargs, Target = _options.Id, TargetType = "glob", User = "root",
        };
        var returning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return Task.Run(() => RunAsync(job, context, returning, cancellationToken, run), cancellationToken);
    }

    /// <summary>How many runs of the scheduled job <paramref name="schedule"/> are under way (for its <c>maxrunning</c>).</summary>
    public int RunningScheduled(string schedule) => _running.Values.Count(r => r.Schedule == schedule);

    private async Task RunAsync(
        JobPublish job, ModuleContext baseContext, TaskCompletionSource returning, CancellationToken stopping, ScheduledRun? scheduled = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var started = _time.GetUtcNow();
        if (scheduled is not { JidInclude: false })
        {
            _running[job.Jid] = new RunningJob(job, started, cts, Environment.ProcessId, scheduled?.Name);
        }
        var clock = Stopwatch.StartNew();
        FunctionResult result;
        await _slots.WaitAsync(stopping).ConfigureAwait(false);
        try
        {
            await Ready.WaitAsync(_options.RequestTimeout, stopping).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            MinionLog.JobStarted(_logger, job.Jid, job.Function);
            var kwargs = WireCodec.ToMap(job.Kwargs);
            result = await _modules.InvokeAsync(job.Function, WireCodec.ToList(job.Args), kwargs, baseContext.ForJob(job.Jid), cts.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            result = FunctionResult.Error($"job {job.Jid} was killed");
        }
        finally
        {
            _slots.Release();
            _running.TryRemove(job.Jid, out _);
        }
        if (result.Success && GrainFunctions.Contains(job.Function))
        {
            await AnnounceGrainsAsync(baseContext, stopping).ConfigureAwait(false);
        }
        var ret = new JobReturn
        {
            Jid = job.Jid,
            Function = job.Function,
            Return = result.Return,
            Retcode = result.Retcode,
            Success = result.Success,
            StartedAt = started.ToUnixTimeMilliseconds(),
            DurationMs = clock.Elapsed.TotalMilliseconds,
            OutputHint = _modules.Find(job.Function)?.OutputterFor(result.Return) ?? "",
        };
        MinionLog.JobFinished(_logger, job.Jid, ret.Retcode, ret.DurationMs);
        if (scheduled is not null)
        {
            returning.TrySetResult();
            if (!scheduled.ReturnJob)
            {
                return;
            }
            (ret.Schedule, ret.Args, ret.Kwargs) = (scheduled.Name, job.Args, job.Kwargs);
        }
        _outbox.Save(ret);
        returning.TrySetResult();
        await DeliverAsync(ret, stopping).ConfigureAwait(false);
    }

    /// <summary>Sends every return still in the outbox (after each authentication, and periodically).</summary>
    public async Task FlushOutboxAsync(CancellationToken cancellationToken)
    {
        await _flushLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var ret in _outbox.Pending())
            {
                if (!await DeliverAsync(ret, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        finally
        {
            _flushLock.Release();
        }
    }

    private async Task<bool> DeliverAsync(JobReturn ret, CancellationToken cancellationToken)
    {
        // A return is sent once at a time: the outbox flush (after an authentication, and periodically) must not send again
        // one whose first delivery is still waiting for its ack, or the master receives it twice.
        if (!_delivering.TryAdd(ret.Jid, 0))
        {
            return true;
        }
        try
        {
            var (kind, body) = await _connection.RequestAsync(
                MessageType.JobReturn, WireCodec.Serialize(ret), ReturnAckWait(), cancellationToken).ConfigureAwait(false);
            if (kind == MessageType.ReturnAck && WireCodec.Deserialize<ReturnAck>(body).Jid == ret.Jid)
            {
                _outbox.Delete(ret.Jid);
                return true;
            }
        }
        catch (Exception e) when (e is MasterUnreachableException or ReauthRequiredException or WireFormatException)
        {
            MinionLog.ReturnKept(_logger, ret.Jid);
        }
        finally
        {
            _delivering.TryRemove(ret.Jid, out _);
        }
        return false;
    }

    /// <summary>
    /// How long one delivery waits for its ReturnAck: a random time between return_retry_timer and return_retry_timer_max,
    /// as Salt's minion does, so thousands of minions facing a slow master do not all give up and retry at the same moment.
    /// </summary>
    private TimeSpan ReturnAckWait() =>
        _options.ReturnRetryTimer + (_options.ReturnRetryTimerMax - _options.ReturnRetryTimer) * Random.Shared.NextDouble();

    public IReadOnlyList<Dictionary<string, object?>> Snapshot() => _running.Values.Select(r => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["jid"] = r.Job.Jid,
        ["fun"] = r.Job.Function,
        ["arg"] = WireCodec.ToList(r.Job.Args),
        ["tgt"] = r.Job.Target,
        ["tgt_type"] = r.Job.TargetType,
        ["user"] = r.Job.User,
        ["pid"] = (long)r.Pid,
        ["id"] = _options.Id,
        ["started"] = r.Started.ToString("O"),
        ["schedule"] = r.Schedule,
    }.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)).ToList();

    public bool Kill(string jid)
    {
        if (_running.TryGetValue(jid, out var job))
        {
            job.Cancellation.Cancel();
            return true;
        }
        return false;
    }

    private sealed record RunningJob(JobPublish Job, DateTimeOffset Started, CancellationTokenSource Cancellation, int Pid, string? Schedule = null);

    public void Dispose() => _journal.Dispose();
}

using Microsoft.Extensions.Logging;
using Orchestrator.Minion.Events;
using Orchestrator.Minion.Hosting;
using Orchestrator.Minion.Jobs;
using Orchestrator.Minion.Modules;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Scheduling;

namespace Orchestrator.Minion.Scheduling;

/// <summary>
/// The minion's schedule: its jobs from the minion config, <c>minion.d/*.conf</c> and pillar (the minion's own win on the
/// same name, as Salt's <c>_get_schedule</c> merges pillar then opts), the engine that times them, and the changes
/// <c>schedule.*</c> makes at run time (persisted to <c>minion.d/_schedule.conf</c> unless <c>persist=False</c>).
/// </summary>
/// <remarks>Pillar jobs cannot be changed here, as in Salt. An invalid job is logged with the option at fault and does not run.</remarks>
public sealed class ScheduleManager
{
    private readonly Lock _lock = new();
    private readonly MinionOptions _options;
    private readonly JobRunner _jobs;
    private readonly ILogger _logger;
    private readonly ScheduleEngine _engine;
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private Dictionary<string, object?> _opts;
    private Dictionary<string, object?> _pillar = new(StringComparer.Ordinal);
    private ModuleContext? _context;
    private IDisposable? _pillarListener;

    public ScheduleManager(MinionOptions options, JobRunner jobs, TimeProvider time, ILogger<ScheduleManager> logger)
    {
        _options = options;
        _jobs = jobs;
        _logger = logger;
        _engine = new ScheduleEngine(time);
        _opts = ScheduleSources.ReadOpts(options, logger);
        Jids = new ScheduleJid(time);
    }

    /// <summary>Where <c>schedule.save</c> writes; null when the minion was not started from a configuration directory.</summary>
    public string? SaveFile => _options.ConfigDir is { Length: > 0 } dir ? ScheduleFile.PathIn(dir) : null;

    /// <summary>Makes the jids of scheduled runs.</summary>
    public ScheduleJid Jids { get; }

    /// <summary>The engine's loop interval: how often the host evaluates.</summary>
    public TimeSpan LoopInterval => _engine.LoopInterval;

    /// <summary>Reads pillar's schedule and follows pillar refreshes on the minion's local bus.</summary>
    public void Start(ModuleContext context)
    {
        lock (_lock)
        {
            _context = context;
            _pillar = ScheduleSources.ReadPillar(context, _logger);
            _pillarListener ??= context.Events?.Listen(ModuleContext.PillarRefreshCompleteTag, (_, _) => ReloadPillar());
        }
        Reload(announce: true);
    }

    public void Stop()
    {
        lock (_lock)
        {
            _pillarListener?.Dispose();
            _pillarListener = null;
        }
    }

    /// <summary>Reads pillar <c>schedule:</c> again and applies it.</summary>
    public void ReloadPillar()
    {
        if (_context is not { } context)
        {
            return;
        }
        var pillar = ScheduleSources.ReadPillar(context, _logger);
        lock (_lock)
        {
            _pillar = pillar;
        }
        Reload(announce: false);
    }

    private void Reload(bool announce)
    {
        IReadOnlyList<ScheduleProblem> problems;
        lock (_lock)
        {
            problems = _engine.Load(Merge(includeOpts: true, includePillar: true));
            _reported.Clear();
        }
        foreach (var problem in problems)
        {
            ScheduleLog.JobInvalid(_logger, problem.Name, problem.Error);
        }
        if (announce)
        {
            ScheduleLog.Loaded(_logger, _engine.JobNames.Count, problems.Count, _engine.Enabled ? "enabled" : "disabled");
        }
    }

    /// <summary>Starts the runs due now; a job whose times cannot be read now is logged once per reload and skipped.</summary>
    public void Tick(CancellationToken cancellationToken)
    {
        var tick = _engine.Evaluate(_jobs.RunningScheduled);
        foreach (var problem in tick.Problems)
        {
            bool first;
            lock (_lock)
            {
                first = _reported.Add(problem.Name + "\n" + problem.Error);
            }
            if (first)
            {
                ScheduleLog.JobInvalid(_logger, problem.Name, problem.Error);
            }
        }
        foreach (var run in tick.Runs)
        {
            Launch(run, cancellationToken);
        }
    }

    /// <summary>Starts a run of a job now (<c>schedule.run_job</c>); returns its jid, or null when the job is not loaded or at its <c>maxrunning</c>.</summary>
    public string? RunNow(string name, CancellationToken cancellationToken) =>
        _engine.RunNow(name, _jobs.RunningScheduled) is { } run ? Launch(run, cancellationToken) : null;

    private string Launch(ScheduledRun run, CancellationToken cancellationToken)
    {
        var jid = Jids.Next();
        var missed = run.MissedBy >= TimeSpan.FromSeconds(1) ? $" (runtime missed by {(int)run.MissedBy.TotalSeconds} seconds)" : "";
        ScheduleLog.Running(_logger, run.Name, run.Function, jid, missed);
        _ = _jobs.RunScheduledAsync(run, jid, cancellationToken).ContinueWith(
            t => ScheduleLog.RunFailed(_logger, t.Exception!, run.Name), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return jid;
    }

    /// <summary>Whether the job is loaded (valid) in the engine.</summary>
    public bool IsLoaded(string name) => _engine.JobNames.Contains(name, StringComparer.Ordinal);

    /// <summary>The job's next fire time in the minion's local time, or null.</summary>
    public DateTimeOffset? NextFireTime(string name) => _engine.NextFireTime(name);

    /// <summary>The schedule from opts, pillar or both; the minion's own jobs win on the same name.</summary>
    public Dictionary<string, object?> List(bool includeOpts = true, bool includePillar = true)
    {
        lock (_lock)
        {
            return (Dictionary<string, object?>)DictUpdate.DeepCopy(Merge(includeOpts, includePillar))!;
        }
    }

    /// <summary>Whether a job of that name comes from pillar (and not the minion's own schedule).</summary>
    public bool InPillar(string name)
    {
        lock (_lock)
        {
            return _pillar.ContainsKey(name) && !_opts.ContainsKey(name);
        }
    }

    private Dictionary<string, object?> Merge(bool includeOpts, bool includePillar)
    {
        var merged = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (includePillar)
        {
            foreach (var (name, data) in _pillar)
            {
                merged[name] = data;
            }
        }
        if (includeOpts)
        {
            foreach (var (name, data) in _opts)
            {
                merged[name] = data;
            }
        }
        return merged;
    }

    /// <summary>Adds or replaces a job of the minion's own schedule; false (with the reason) for a pillar job.</summary>
    public (bool Done, string Comment) Put(string name, Dictionary<string, object?> data, bool persist) =>
        Change(name, "update", persist, () => _opts[name] = DictUpdate.DeepCopy(data));

    public (bool Done, string Comment) Delete(string name, bool persist) =>
        Change(name, "delete", persist, () => _opts.Remove(name));

    /// <summary>Sets a job's <c>enabled</c>.</summary>
    public (bool Done, string Comment) SetJobEnabled(string name, bool enabled, bool persist) =>
        Change(name, enabled ? "enable" : "disable", persist, () =>
        {
            if (_opts.GetValueOrDefault(name) is Dictionary<string, object?> job)
            {
                var copy = (Dictionary<string, object?>)DictUpdate.DeepCopy(job)!;
                copy["enabled"] = enabled;
                _opts[name] = copy;
            }
        });

    /// <summary>Sets the whole scheduler's <c>enabled</c>.</summary>
    public void SetEnabled(bool enabled, bool persist) => Change(null, "switch", persist, () => _opts["enabled"] = enabled);

    /// <summary>Removes every job of the minion's own schedule (not Salt's internal <c>__</c> jobs, not pillar's).</summary>
    public List<string> Purge(bool persist)
    {
        var removed = new List<string>();
        Change(null, "purge", persist, () =>
        {
            foreach (var name in _opts.Keys.Where(k => !ScheduleJobParser.IsGlobalKey(k) && !k.StartsWith("__", StringComparison.Ordinal)).ToList())
            {
                _opts.Remove(name);
                removed.Add(name);
            }
        });
        return removed;
    }

    private (bool Done, string Comment) Change(string? name, string action, bool persist, Action change)
    {
        lock (_lock)
        {
            if (name is not null && _pillar.ContainsKey(name) && !_opts.ContainsKey(name))
            {
                ScheduleLog.InPillar(_logger, action, name);
                return (false, $"Cannot {action} job {name}, it's in the pillar!");
            }
            change();
        }
        Reload(announce: false);
        if (persist && SaveFile is not null)
        {
            Save();
        }
        return (true, "");
    }

    /// <summary>Writes the minion's own schedule (not pillar's, without Salt's hidden <c>_</c> keys) to <see cref="SaveFile"/>; returns its path.</summary>
    /// <exception cref="InvalidOperationException">There is no configuration directory.</exception>
    public string Save()
    {
        var path = SaveFile ?? throw new InvalidOperationException("the minion has no configuration directory");
        Dictionary<string, object?> own;
        lock (_lock)
        {
            own = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (name, data) in _opts)
            {
                own[name] = data is Dictionary<string, object?> job
                    ? job.Where(p => !p.Key.StartsWith('_')).ToDictionary(p => p.Key, p => DictUpdate.DeepCopy(p.Value), StringComparer.Ordinal)
                    : DictUpdate.DeepCopy(data);
            }
        }
        ScheduleFile.Write(path, own);
        ScheduleLog.Saved(_logger, path);
        return path;
    }

    /// <summary>Fires a completion event on the minion's own bus, as Salt's scheduler does (<c>/salt/minion/minion_schedule_add_complete</c>...).</summary>
    public static void Announce(IMinionEvents? events, string tag, Dictionary<string, object?> data) =>
        events?.FireLocal(tag, (Dictionary<string, object?>)DictUpdate.DeepCopy(data)!);
}

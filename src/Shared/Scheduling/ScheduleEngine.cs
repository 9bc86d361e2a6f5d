using Orchestrator.Shared.Data;

namespace Orchestrator.Shared.Scheduling;

/// <summary>
/// Salt's schedule evaluation (<c>salt/utils/schedule.py</c> <c>Schedule.eval</c>), without any I/O: given the merged
/// <c>schedule:</c> mapping and a clock, it says which jobs are due now. The minion hosts it for execution functions and the
/// master for runners; each calls <see cref="Evaluate"/> on its loop and starts the runs it gets.
/// </summary>
/// <remarks>
/// <para>Fire times: an interval job first fires one interval after it is loaded, then one interval after each due time;
/// a cron job at each occurrence after now, in the clock's local zone; a <c>when</c> or <c>once</c> time fires if it is
/// reached within <see cref="Window"/> (a time missed while nothing evaluated, such as the minion being down, is not made up,
/// as in Salt). A splay is drawn once per fire time and added to it.</para>
/// <para>A due time is consumed whether the job runs or is skipped (disabled, outside <c>range</c>, inside
/// <c>skip_during_range</c>, past <c>until</c>, before <c>after</c>, <c>maxrunning</c> reached). <c>run_on_start</c> runs
/// the job at its first evaluation, outside those time checks but not when disabled.</para>
/// <para>Reloading keeps the timing of every job whose definition did not change.</para>
/// </remarks>
public sealed class ScheduleEngine
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly Func<int, int, int> _random;
    private readonly SortedDictionary<string, ScheduleJobState> _jobs = new(StringComparer.Ordinal);
    private ScheduleSplay? _splay;
    private ScheduleWindow? _skipDuringRange;
    private string? _skipFunction;

    /// <summary>Creates an engine on <paramref name="time"/> (its local zone is the schedule's).</summary>
    /// <param name="time">The clock.</param>
    /// <param name="loopInterval">How often the host evaluates; a <c>when</c>/<c>once</c> time is due for twice this long.</param>
    /// <param name="random">Draws a splay between two bounds, inclusive; <see cref="Random.Shared"/> when null.</param>
    public ScheduleEngine(TimeProvider time, TimeSpan? loopInterval = null, Func<int, int, int>? random = null)
    {
        _time = time;
        LoopInterval = loopInterval ?? TimeSpan.FromSeconds(1);
        _random = random ?? ((low, high) => Random.Shared.Next(low, high + 1));
    }

    /// <summary>How often the host evaluates.</summary>
    public TimeSpan LoopInterval { get; }

    /// <summary>How long after a <c>when</c> or <c>once</c> time it still fires.</summary>
    public TimeSpan Window => LoopInterval * 2;

    /// <summary>Whether the whole schedule runs (its global <c>enabled</c>).</summary>
    public bool Enabled { get; private set; } = true;

    /// <summary>The jobs loaded, by key.</summary>
    public IReadOnlyList<string> JobNames
    {
        get
        {
            lock (_lock)
            {
                return [.. _jobs.Keys];
            }
        }
    }

    private TimeZoneInfo Zone => _time.LocalTimeZone;

    private DateTimeOffset Now => TimeZoneInfo.ConvertTime(_time.GetUtcNow(), Zone);

    /// <summary>Applies a merged <c>schedule:</c> mapping; returns the jobs and settings left out, each with its error.</summary>
    public IReadOnlyList<ScheduleProblem> Load(IReadOnlyDictionary<string, object?> schedule)
    {
        var problems = new List<ScheduleProblem>();
        var now = Now;
        lock (_lock)
        {
            Enabled = schedule.GetValueOrDefault("enabled") is not (false or "false" or "False");
            _skipFunction = schedule.GetValueOrDefault("skip_function") as string;
            _splay = null;
            _skipDuringRange = null;
            try
            {
                _splay = ScheduleJobParser.ReadSplay(schedule.GetValueOrDefault("splay"));
            }
            catch (ScheduleConfigException e)
            {
                problems.Add(new ScheduleProblem("splay", e.Message));
            }
            try
            {
                _skipDuringRange = ScheduleJobParser.ReadWindow(
                    new Dictionary<string, object?>(schedule, StringComparer.Ordinal), "skip_during_range", now, Zone);
            }
            catch (ScheduleConfigException e)
            {
                problems.Add(new ScheduleProblem("skip_during_range", e.Message));
            }
            var kept = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (key, raw) in schedule)
            {
                if (ScheduleJobParser.IsGlobalKey(key))
                {
                    continue;
                }
                try
                {
                    var job = ScheduleJobParser.Parse(key, raw, now, Zone);
                    kept.Add(key);
                    if (!_jobs.TryGetValue(key, out var current) || current.Job.Fingerprint != job.Fingerprint)
                    {
                        _jobs[key] = new ScheduleJobState(job);
                    }
                }
                catch (ScheduleConfigException e)
                {
                    problems.Add(new ScheduleProblem(key, e.Message));
                }
            }
            foreach (var gone in _jobs.Keys.Where(k => !kept.Contains(k)).ToList())
            {
                _jobs.Remove(gone);
            }
        }
        return problems;
    }

    /// <summary>Decides which jobs run now and advances their fire times.</summary>
    /// <param name="running">How many runs of a job (by name) are under way, for <c>maxrunning</c>; none when null.</param>
    public ScheduleTick Evaluate(Func<string, int>? running = null)
    {
        var now = Now;
        var runs = new List<ScheduledRun>();
        var problems = new List<ScheduleProblem>();
        lock (_lock)
        {
            foreach (var (key, state) in _jobs)
            {
                try
                {
                    if (EvaluateJob(state, now, running) is { } run)
                    {
                        runs.Add(run);
                    }
                }
                catch (ScheduleConfigException e)
                {
                    state.SkipReason = "error";
                    problems.Add(new ScheduleProblem(key, e.Message));
                }
            }
        }
        return new ScheduleTick(runs, problems);
    }

    private ScheduledRun? EvaluateJob(ScheduleJobState state, DateTimeOffset now, Func<string, int>? running)
    {
        var job = state.Job;
        var fire = BaseFireTime(state, now);
        if (fire is { } baseTime && state.SplayAt is null && (job.Splay ?? _splay) is { } splay)
        {
            state.SplayAt = baseTime + TimeSpan.FromSeconds(_random(splay.Start, splay.End));
        }
        var effective = state.SplayAt ?? fire;
        var due = effective is { } at && at <= now;
        var function = job.Function;
        var run = false;
        string? skip = null;
        if (state.RunOnStartPending)
        {
            state.RunOnStartPending = false;
            run = true;
        }
        else if (due)
        {
            (run, skip, function) = CheckTimes(job, now);
        }
        if (run && (!Enabled || !job.Enabled))
        {
            (run, skip) = (false, "disabled");
        }
        if (run && job.JidInclude && running is not null && running(job.Name) >= job.MaxRunning)
        {
            (run, skip) = (false, "maxrunning");
        }
        if (due)
        {
            Consume(state, now);
        }
        else if (run && job.Trigger == ScheduleTrigger.Interval)
        {
            // A run on start restarts the interval, as Salt's next fire time is set from each run.
            state.NextFire = now + job.Interval;
            state.SplayAt = null;
        }
        if (due || skip is not null)
        {
            state.SkipReason = run ? null : skip;
        }
        if (!run)
        {
            return null;
        }
        state.LastRun = now;
        var missed = effective is { } planned && now > planned ? now - planned : TimeSpan.Zero;
        return new ScheduledRun(job.Name, function, DataTreeCopy(job.Args), DataTreeCopy(job.Kwargs), job.JidInclude, job.ReturnJob, missed);
    }

    /// <summary>The fire time before splay, setting up interval and cron times and taking due <c>when</c>/<c>once</c> times.</summary>
    private DateTimeOffset? BaseFireTime(ScheduleJobState state, DateTimeOffset now)
    {
        var job = state.Job;
        switch (job.Trigger)
        {
            case ScheduleTrigger.Interval:
                return state.NextFire ??= now + job.Interval;
            case ScheduleTrigger.Cron:
                return state.NextFire ??= job.Cron!.GetNextOccurrence(now, Zone);
            case ScheduleTrigger.When:
                if (state.Pending is null)
                {
                    var times = job.When.Select(t => ScheduleJobParser.ParseTime(t, "when", now, Zone)).Order().ToList();
                    var reached = times.LastOrDefault(t => t <= now && now - t <= Window && t != state.LastWhen);
                    if (reached != default)
                    {
                        state.LastWhen = reached;
                        state.Pending = reached;
                    }
                    state.NextFire = times.FirstOrDefault(t => t > now) is var next && next != default ? next : null;
                }
                return state.Pending;
            default:
                if (state.Pending is null && !state.OnceDone)
                {
                    DateTimeOffset once;
                    try
                    {
                        once = ScheduleTime.ParseExact(job.Once!, job.OnceFormat, Zone);
                    }
                    catch (FormatException e)
                    {
                        throw new ScheduleConfigException(e.Message);
                    }
                    if (once <= now && now - once <= Window)
                    {
                        state.Pending = once;
                    }
                    else if (once <= now)
                    {
                        state.OnceDone = true;
                    }
                    state.NextFire = once > now ? once : null;
                }
                return state.Pending;
        }
    }

    /// <summary><c>range</c>, <c>skip_during_range</c>, <c>until</c> and <c>after</c> at a due time: whether it runs, why not, and what.</summary>
    private (bool Run, string? Skip, string Function) CheckTimes(ScheduleJob job, DateTimeOffset now)
    {
        if (job.Range is { } range)
        {
            var (start, end) = ScheduleJobParser.Resolve(range, "range", now, Zone);
            var inside = start <= now && now <= end;
            if (range.Invert && inside)
            {
                return (false, "in_skip_range", job.Function);
            }
            if (!range.Invert && !inside)
            {
                return _skipFunction is { } skipping ? (true, null, skipping) : (false, "not_in_range", job.Function);
            }
        }
        if ((job.SkipDuringRange ?? _skipDuringRange) is { } skipRange)
        {
            var (start, end) = ScheduleJobParser.Resolve(skipRange, "skip_during_range", now, Zone);
            if (start <= now && now <= end)
            {
                return _skipFunction is { } skipping ? (true, null, skipping) : (false, "in_skip_range", job.Function);
            }
        }
        if (job.Until is { } until && ScheduleJobParser.ParseTime(until, "until", now, Zone) <= now)
        {
            return (false, "until_passed", job.Function);
        }
        if (job.After is { } after && ScheduleJobParser.ParseTime(after, "after", now, Zone) >= now)
        {
            return (false, "after_not_passed", job.Function);
        }
        return (true, null, job.Function);
    }

    private void Consume(ScheduleJobState state, DateTimeOffset now)
    {
        var job = state.Job;
        state.SplayAt = null;
        state.Pending = null;
        switch (job.Trigger)
        {
            case ScheduleTrigger.Interval:
                state.NextFire = now + job.Interval;
                break;
            case ScheduleTrigger.Cron:
                state.NextFire = job.Cron!.GetNextOccurrence(now, Zone);
                break;
            case ScheduleTrigger.Once:
                state.OnceDone = true;
                state.NextFire = null;
                break;
        }
    }

    /// <summary>The job's next fire time, splay included (Salt's <c>_next_fire_time</c>), in the clock's local zone; null when none.</summary>
    public DateTimeOffset? NextFireTime(string key)
    {
        lock (_lock)
        {
            if (!_jobs.TryGetValue(key, out var state))
            {
                return null;
            }
            return state.SplayAt ?? state.Pending ?? state.NextFire ?? Projected(state.Job);
        }
    }

    /// <summary>A job not evaluated yet (just added): the fire time its first evaluation would set, or null when none.</summary>
    private DateTimeOffset? Projected(ScheduleJob job)
    {
        var now = Now;
        try
        {
            return job.Trigger switch
            {
                ScheduleTrigger.Interval => now + job.Interval,
                ScheduleTrigger.Cron => job.Cron!.GetNextOccurrence(now, Zone),
                ScheduleTrigger.When => job.When.Select(t => ScheduleJobParser.ParseTime(t, "when", now, Zone)).Where(t => t > now).Order()
                    .Cast<DateTimeOffset?>().FirstOrDefault(),
                _ => ScheduleTime.ParseExact(job.Once!, job.OnceFormat, Zone) is var once && once > now ? once : null,
            };
        }
        catch (Exception e) when (e is ScheduleConfigException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Why the job's last due time did not run (<c>disabled</c>, <c>not_in_range</c>, <c>maxrunning</c>...), or null.</summary>
    public string? SkipReason(string key)
    {
        lock (_lock)
        {
            return _jobs.TryGetValue(key, out var state) ? state.SkipReason : null;
        }
    }

    /// <summary>A run of the job now, outside its schedule (<c>schedule.run_job</c>); null when no such job is loaded.</summary>
    /// <param name="key">The job's key.</param>
    /// <param name="running">As for <see cref="Evaluate"/>: a job at its <c>maxrunning</c> does not start.</param>
    public ScheduledRun? RunNow(string key, Func<string, int>? running = null)
    {
        lock (_lock)
        {
            if (!_jobs.TryGetValue(key, out var state))
            {
                return null;
            }
            var job = state.Job;
            if (job.JidInclude && running is not null && running(job.Name) >= job.MaxRunning)
            {
                state.SkipReason = "maxrunning";
                return null;
            }
            state.LastRun = Now;
            return new ScheduledRun(job.Name, job.Function, DataTreeCopy(job.Args), DataTreeCopy(job.Kwargs), job.JidInclude, job.ReturnJob, TimeSpan.Zero);
        }
    }

    private static T DataTreeCopy<T>(T value) => (T)DictUpdate.DeepCopy(value)!;
}

using Cronos;

namespace Orchestrator.Shared.Scheduling;

/// <summary>One scheduled job as Salt's <c>schedule:</c> defines it, checked (see <see cref="ScheduleJobParser"/>).</summary>
public sealed record ScheduleJob
{
    /// <summary>The job's name (its key under <c>schedule:</c>, or its <c>name</c> option).</summary>
    public required string Name { get; init; }

    /// <summary>The function it calls (<c>function</c>, <c>func</c> or <c>fun</c>).</summary>
    public required string Function { get; init; }

    /// <summary>Positional arguments (<c>args</c>).</summary>
    public List<object?> Args { get; init; } = [];

    /// <summary>Keyword arguments (<c>kwargs</c>).</summary>
    public Dictionary<string, object?> Kwargs { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Which option decides the fire times.</summary>
    public required ScheduleTrigger Trigger { get; init; }

    /// <summary>For <see cref="ScheduleTrigger.Interval"/>: the summed interval.</summary>
    public TimeSpan Interval { get; init; }

    /// <summary>For <see cref="ScheduleTrigger.Cron"/>: the parsed expression.</summary>
    public CronExpression? Cron { get; init; }

    /// <summary>For <see cref="ScheduleTrigger.When"/>: the times as written, read again at each evaluation.</summary>
    public IReadOnlyList<string> When { get; init; } = [];

    /// <summary>For <see cref="ScheduleTrigger.Once"/>: the time as written.</summary>
    public string? Once { get; init; }

    /// <summary>The strptime format of <see cref="Once"/> (<c>once_fmt</c>).</summary>
    public string OnceFormat { get; init; } = "%Y-%m-%dT%H:%M:%S";

    /// <summary>The random delay added to each fire time, if any.</summary>
    public ScheduleSplay? Splay { get; init; }

    /// <summary>Run once as soon as the scheduler starts (<c>run_on_start</c>).</summary>
    public bool RunOnStart { get; init; }

    /// <summary>How many runs of this job may be under way at once (<c>maxrunning</c>, default 1).</summary>
    public int MaxRunning { get; init; } = 1;

    /// <summary>Run only inside (or, inverted, outside) this range.</summary>
    public ScheduleWindow? Range { get; init; }

    /// <summary>Do not run inside this range.</summary>
    public ScheduleWindow? SkipDuringRange { get; init; }

    /// <summary>Stop running after this time (<c>until</c>).</summary>
    public string? Until { get; init; }

    /// <summary>Start running after this time (<c>after</c>).</summary>
    public string? After { get; init; }

    /// <summary>Whether the job runs (<c>enabled</c>, default true).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Whether each run gets a jid and counts for <see cref="MaxRunning"/> (<c>jid_include</c>, default true).</summary>
    public bool JidInclude { get; init; } = true;

    /// <summary>Whether each run's return goes to the master (<c>return_job</c>, default true).</summary>
    public bool ReturnJob { get; init; } = true;

    /// <summary>The definition as a canonical text: a reload keeps the state of a job whose fingerprint did not change.</summary>
    public required string Fingerprint { get; init; }
}

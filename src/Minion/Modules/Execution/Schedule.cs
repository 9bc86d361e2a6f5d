using Orchestrator.Minion.Scheduling;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Scheduling;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>
/// Salt's <c>schedule</c> module: lists, adds, changes, enables, disables, runs and saves the minion's scheduled jobs at run
/// time. Each change fires Salt's completion event on the minion's own bus (<c>/salt/minion/minion_schedule_add_complete</c>...).
/// </summary>
[ExecutionModule("schedule")]
public sealed class ScheduleModule : IExecutionModule
{
    /// <summary>The job options <c>schedule.list</c> shows (Salt's <c>SCHEDULE_CONF</c>).</summary>
    private static readonly HashSet<string> Shown = new(
    [
        "name", "maxrunning", "function", "splay", "range", "when", "once", "once_fmt", "returner", "jid_include", "args", "kwargs",
        "_seconds", "seconds", "minutes", "hours", "days", "enabled", "return_job", "metadata", "cron", "until", "after",
        "return_config", "return_kwargs", "run_on_start", "skip_during_range", "run_after_skip_range",
    ], StringComparer.Ordinal);

    private static readonly string[] TimeElements = ["seconds", "minutes", "hours", "days"];

    private static readonly string[] Copied =
    [
        "range", "when", "once", "once_fmt", "cron", "returner", "after", "return_config", "return_kwargs", "until", "run_on_start",
        "skip_during_range",
    ];

    public ScheduleModule()
    {
        Functions =
        [
            new("add", "Add a job to the schedule.\n\nCLI Example: orch '*' schedule.add job1 function='test.ping' seconds=3600\n" +
                "orch '*' schedule.add job2 function='cmd.run' job_args=\"['date >> /tmp/date.log']\" seconds=60",
                [Req("name")], AddAsync, AcceptsExtraArgs: true),
            new("build_schedule_item", "Build a schedule job's options from keyword arguments (what schedule.add would add).\n\n" +
                "CLI Example: orch '*' schedule.build_schedule_item job1 function='test.ping' seconds=3600",
                [Req("name")], (c, _) => Task.FromResult<object?>(Build(c, c.RequireString("name"), Options(c)) is var (item, error) && error is null ? item : Failed(c, error)),
                AcceptsExtraArgs: true),
            new("delete", "Delete a job from the minion's schedule.\n\nCLI Example: orch '*' schedule.delete job1",
                [Req("name")], DeleteAsync, AcceptsExtraArgs: true),
            new("disable", "Disable all scheduled jobs on the minion.\n\nCLI Example: orch '*' schedule.disable",
                [], (c, t) => SwitchAllAsync(c, enable: false), AcceptsExtraArgs: true),
            new("disable_job", "Disable a job in the minion's schedule.\n\nCLI Example: orch '*' schedule.disable_job job1",
                [Req("name")], (c, t) => SwitchOneAsync(c, enable: false), AcceptsExtraArgs: true),
            new("enable", "Enable all scheduled jobs on the minion.\n\nCLI Example: orch '*' schedule.enable",
                [], (c, t) => SwitchAllAsync(c, enable: true), AcceptsExtraArgs: true),
            new("enable_job", "Enable a job in the minion's schedule.\n\nCLI Example: orch '*' schedule.enable_job job1",
                [Req("name")], (c, t) => SwitchOneAsync(c, enable: true), AcceptsExtraArgs: true),
            new("is_enabled", "A job's options if it exists ({} if not); without a name, whether the scheduler is enabled.\n\n" +
                "CLI Example: orch '*' schedule.is_enabled name=job_name", [Opt("name")], IsEnabledAsync, AcceptsExtraArgs: true),
            new("list", "List the jobs scheduled on the minion (YAML text unless return_yaml=False); show_all includes Salt's " +
                "internal __ jobs, show_disabled=False hides disabled jobs, where=opts|pillar picks a source.\n\n" +
                "CLI Example: orch '*' schedule.list",
                [Opt("show_all", false), Opt("show_disabled", true), Opt("where"), Opt("return_yaml", true)], ListAsync, AcceptsExtraArgs: true),
            new("modify", "Modify an existing job in the schedule.\n\nCLI Example: orch '*' schedule.modify job1 function='test.ping' seconds=3600",
                [Req("name")], ModifyAsync, AcceptsExtraArgs: true),
            new("purge", "Purge all the jobs currently scheduled on the minion (pillar's stay).\n\nCLI Example: orch '*' schedule.purge",
                [], PurgeAsync, AcceptsExtraArgs: true),
            new("run_job", "Run a scheduled job on the minion immediately; force=True runs it even if it is disabled.\n\n" +
                "CLI Example: orch '*' schedule.run_job job1", [Req("name"), Opt("force", false)], RunJobAsync, AcceptsExtraArgs: true),
            new("save", "Save the scheduled jobs (not pillar's) to minion.d/_schedule.conf, read back at start.\n\n" +
                "CLI Example: orch '*' schedule.save", [], SaveAsync, AcceptsExtraArgs: true),
            new("show_next_fire_time", "Show the next fire time of a scheduled job (%Y-%m-%dT%H:%M:%S, the minion's local time).\n\n" +
                "CLI Example: orch '*' schedule.show_next_fire_time job_name", [Req("name")], NextFireTimeAsync, AcceptsExtraArgs: true),
        ];
    }

    public string Doc => "Manage the minion's scheduled jobs at run time: list, add, modify, delete, enable, disable, run, save.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private static ScheduleManager Manager(ModuleCall call) =>
        call.Context.Schedule ?? throw new ModuleException("the scheduler does not run in this context (orch call --local has no minion daemon)");

    private static Dictionary<string, object?> Result(ModuleCall call, bool result, object comment, Dictionary<string, object?>? changes = null)
    {
        if (!result)
        {
            call.Retcode = 1;
        }
        var ret = new Dictionary<string, object?>(StringComparer.Ordinal) { ["comment"] = comment, ["result"] = result };
        if (changes is not null)
        {
            ret["changes"] = changes;
        }
        return ret;
    }

    private static Dictionary<string, object?> Failed(ModuleCall call, string comment) => Result(call, false, comment);

    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static bool Test(ModuleCall call) => DataTree.IsTruthy(call.ExtraKwargs.GetValueOrDefault("test"));

    private static bool Persist(ModuleCall call) => call.ExtraKwargs.GetValueOrDefault("persist") is not { } p || DataTree.IsTruthy(p);

    private static Dictionary<string, object?> Options(ModuleCall call) =>
        call.ExtraKwargs.Where(p => !p.Key.StartsWith("__", StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static void Announce(ModuleCall call, string tag, Dictionary<string, object?> data) => ScheduleManager.Announce(call.Context.Events, tag, data);

    private static void AnnounceSchedule(ModuleCall call, ScheduleManager manager, string tag) =>
        Announce(call, tag, Map(("complete", true), ("schedule", manager.List())));

    /// <summary>Salt's <c>list_</c>: the schedule with only the options Salt shows, each job's <c>enabled</c> filled in.</summary>
    private static Dictionary<string, object?> Listing(ScheduleManager manager, bool showAll, bool showDisabled, string? where)
    {
        var schedule = manager.List(includeOpts: where != "pillar", includePillar: where != "opts");
        foreach (var name in schedule.Keys.ToList())
        {
            if (ScheduleJobParser.IsGlobalKey(name) && name != "splay")
            {
                continue;
            }
            if (name.StartsWith("__", StringComparison.Ordinal) && !showAll)
            {
                schedule.Remove(name);
                continue;
            }
            if (schedule[name] is not Dictionary<string, object?> job)
            {
                continue;
            }
            job.TryAdd("enabled", true);
            foreach (var key in job.Keys.ToList())
            {
                if (!Shown.Contains(key) || job[key] is null || key == "_seconds")
                {
                    job.Remove(key);
                }
                else if (job[key] is string s && (s == "true" || s == "false"))
                {
                    job[key] = s == "true";
                }
            }
            if (!showDisabled && job["enabled"] is false)
            {
                schedule.Remove(name);
            }
        }
        return schedule;
    }

    private static async Task<object?> ListAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        var manager = Manager(call);
        var where = call.GetString("where");
        var schedule = Listing(manager, call.GetBool("show_all"), call.GetBool("show_disabled", true), where);
        Announce(call, "/salt/minion/minion_schedule_list_complete", Map(("complete", true), ("schedule", schedule)));
        if (!call.GetBool("return_yaml", true))
        {
            return schedule;
        }
        var saved = Saved(manager);
        foreach (var (name, data) in schedule)
        {
            if (data is Dictionary<string, object?> job)
            {
                job["saved"] = saved.ContainsKey(name);
            }
        }
        return Beacons.BeaconsFile.Yaml(Map(("schedule", schedule)));
    }

    /// <summary>The jobs in <c>_schedule.conf</c> (Salt's <c>_get_saved</c>); none when it is missing or unreadable.</summary>
    private static Dictionary<string, object?> Saved(ScheduleManager manager)
    {
        try
        {
            if (manager.SaveFile is { } path && File.Exists(path)
                && Shared.Rendering.YamlLoader.Load(File.ReadAllText(path), path) is Dictionary<string, object?> top
                && top.GetValueOrDefault("schedule") is Dictionary<string, object?> saved)
            {
                return saved;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Shared.Rendering.Yaml.YamlLoadException)
        {
            // Shown as not saved.
        }
        return new Dictionary<string, object?>(StringComparer.Ordinal);
    }

    private static Task<object?> IsEnabledAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var schedule = Listing(Manager(call), showAll: false, showDisabled: true, where: null);
        var name = call.GetString("name");
        object? result = string.IsNullOrEmpty(name)
            ? schedule.GetValueOrDefault("enabled") ?? true
            : schedule.GetValueOrDefault(name) ?? new Dictionary<string, object?>(StringComparer.Ordinal);
        return Done(result);
    }

    /// <summary>Salt's <c>build_schedule_item</c>, then the engine's own checks: the job's options, or why it cannot run.</summary>
    private static (Dictionary<string, object?> Item, string? Error) Build(ModuleCall call, string name, Dictionary<string, object?> kwargs)
    {
        var item = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(name))
        {
            return (item, "Job name is required.");
        }
        if (TimeElements.Any(kwargs.ContainsKey) && (kwargs.ContainsKey("when") || kwargs.ContainsKey("cron")))
        {
            return (item, "Unable to use \"seconds\", \"minutes\", \"hours\", or \"days\" with \"when\" or \"cron\" options.");
        }
        if (kwargs.ContainsKey("when") && kwargs.ContainsKey("cron"))
        {
            return (item, "Unable to use \"when\" and \"cron\" options together.  Ignoring.");
        }
        item["function"] = kwargs.GetValueOrDefault("function");
        foreach (var element in TimeElements.Where(kwargs.ContainsKey))
        {
            item[element] = kwargs[element];
        }
        foreach (var key in new[] { "return_job", "metadata" }.Where(kwargs.ContainsKey))
        {
            item[key] = kwargs[key];
        }
        switch (kwargs.GetValueOrDefault("job_args"))
        {
            case null:
                break;
            case List<object?> args:
                item["args"] = args;
                break;
            default:
                return (item, "job_args is not a list. please correct and try again.");
        }
        switch (kwargs.GetValueOrDefault("job_kwargs"))
        {
            case null:
                break;
            case Dictionary<string, object?> jobKwargs:
                item["kwargs"] = jobKwargs;
                break;
            default:
                return (item, "job_kwargs is not a dict. please correct and try again.");
        }
        item["maxrunning"] = kwargs.GetValueOrDefault("maxrunning") ?? 1L;
        item["name"] = kwargs.GetValueOrDefault("name") is string { Length: > 0 } alias && !string.Equals(alias, name, StringComparison.Ordinal) ? alias : name;
        item["enabled"] = kwargs.GetValueOrDefault("enabled") ?? true;
        if (kwargs.GetValueOrDefault("jid_include") is not { } jid || DataTree.IsTruthy(jid))
        {
            item["jid_include"] = true;
        }
        if (kwargs.GetValueOrDefault("splay") is { } splay)
        {
            item["splay"] = splay;
        }
        foreach (var key in Copied.Where(kwargs.ContainsKey))
        {
            item[key] = kwargs[key];
        }
        try
        {
            ScheduleJobParser.Parse(name, item, call.Context.Time.GetLocalNow(), call.Context.Time.LocalTimeZone);
        }
        catch (ScheduleConfigException e)
        {
            return (item, $"Job {name} is not valid: {e.Message}");
        }
        return (item, null);
    }

    private static Task<object?> AddAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var manager = Manager(call);
        var name = call.RequireString("name");
        if (manager.List().ContainsKey(name))
        {
            return Done(Failed(call, $"Job {name} already exists in schedule."));
        }
        var (item, error) = Build(call, name, Options(call));
        if (error is not null)
        {
            return Done(Failed(call, error));
        }
        if (Test(call))
        {
            return Done(Result(call, true, $"Job: {name} would be added to schedule.", new()));
        }
        var (done, comment) = manager.Put(name, item, Persist(call));
        AnnounceSchedule(call, manager, "/salt/minion/minion_schedule_add_complete");
        return Done(done && manager.List().ContainsKey(name)
            ? Result(call, true, $"Added job: {name} to schedule.", Map((name, "added")))
            : Failed(call, comment is { Length: > 0 } ? comment : $"Failed to add job {name} to schedule."));
    }

    private static Task<object?> ModifyAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var manager = Manager(call);
        var name = call.RequireString("name");
        var kwargs = Options(call);
        var listing = Listing(manager, showAll: true, showDisabled: true, where: null);
        if (listing.GetValueOrDefault(name) is not Dictionary<string, object?> current)
        {
            return Done(Failed(call, $"Job {name} does not exist in schedule."));
        }
        kwargs.TryAdd("function", current.GetValueOrDefault("function"));
        var (item, error) = Build(call, name, kwargs);
        if (error is not null)
        {
            return Done(Failed(call, error));
        }
        if (DictUpdate.PyEquals(item, current))
        {
            return Done(Result(call, true, $"Job {name} in correct state", new()));
        }
        var changes = Map((name, Map(("old", current), ("new", item))));
        if (Test(call))
        {
            return Done(Result(call, true, $"Job: {name} would be modified in schedule.", changes));
        }
        var (done, comment) = manager.Put(name, item, Persist(call));
        AnnounceSchedule(call, manager, "/salt/minion/minion_schedule_delete_complete");
        AnnounceSchedule(call, manager, "/salt/minion/minion_schedule_add_complete");
        return Done(done ? Result(call, true, $"Modified job: {name} in schedule.", changes) : Failed(call, comment));
    }

    private static Task<object?> DeleteAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var manager = Manager(call);
        var name = call.RequireString("name");
        if (Test(call))
        {
            return Done(Result(call, true, $"Job: {name} would be deleted from schedule.", new()));
        }
        if (!manager.List().ContainsKey(name))
        {
            return Done(Result(call, false, $"Job {name} does not exist.", new()));
        }
        var (done, comment) = manager.Delete(name, Persist(call));
        AnnounceSchedule(call, manager, "/salt/minion/minion_schedule_delete_complete");
        return Done(done && !manager.List().ContainsKey(name)
            ? Result(call, true, $"Deleted Job {name} from schedule.", Map((name, "removed")))
            : Result(call, false, comment is { Length: > 0 } ? comment : $"Failed to delete job {name} from schedule.", new()));
    }

    private static Task<object?> SwitchOneAsync(ModuleCall call, bool enable)
    {
        var manager = Manager(call);
        var name = call.RequireString("name");
        var (verb, done_) = enable ? ("enable", "Enabled") : ("disable", "Disabled");
        if (Test(call))
        {
            return Done(Result(call, true, $"Job: {name} would be {verb}d in schedule.", new()));
        }
        if (manager.List().GetValueOrDefault(name) is not Dictionary<string, object?>)
        {
            return Done(Result(call, false, $"Job {name} does not exist.", new()));
        }
        var (done, comment) = manager.SetJobEnabled(name, enable, Persist(call));
        AnnounceSchedule(call, manager, $"/salt/minion/minion_schedule_{verb}d_job_complete");
        var now = manager.List().GetValueOrDefault(name) as Dictionary<string, object?>;
        return Done(done && now is not null && DataTree.IsTruthy(now.GetValueOrDefault("enabled") ?? true) == enable
            ? Result(call, true, $"{done_} Job {name} in schedule.", Map((name, $"{verb}d")))
            : Result(call, false, comment is { Length: > 0 } ? comment : $"Failed to {verb} job {name} in schedule.", new()));
    }

    private static Task<object?> SwitchAllAsync(ModuleCall call, bool enable)
    {
        var manager = Manager(call);
        var verb = enable ? "enable" : "disable";
        if (Test(call))
        {
            return Done(Result(call, true, $"Schedule would be {verb}d.", new()));
        }
        manager.SetEnabled(enable, Persist(call));
        AnnounceSchedule(call, manager, $"/salt/minion/minion_schedule_{verb}d_complete");
        return Done(manager.List().GetValueOrDefault("enabled") is bool state && state == enable
            ? Result(call, true, $"{(enable ? "Enabled" : "Disabled")} schedule on minion.", Map(("schedule", $"{verb}d")))
            : Result(call, false, $"Failed to {verb} schedule on minion.", new()));
    }

    private static Task<object?> RunJobAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var manager = Manager(call);
        var name = call.RequireString("name");
        if (Listing(manager, showAll: true, showDisabled: true, where: null).GetValueOrDefault(name) is not Dictionary<string, object?> job)
        {
            return Done(Failed(call, $"Job {name} does not exist."));
        }
        if (job.GetValueOrDefault("enabled") is false && !call.GetBool("force"))
        {
            return Done(Result(call, true, $"Job {name} is disabled."));
        }
        if (!manager.IsLoaded(name))
        {
            return Done(Failed(call, $"Job {name} is not valid and cannot run; see the minion's log."));
        }
        // The run outlives this call, as Salt's run_job only hands the job to the scheduler.
        return Done(manager.RunNow(name, CancellationToken.None) is not null
            ? Result(call, true, $"Scheduling Job {name} on minion.")
            : Failed(call, $"Failed to run job {name} on minion: it is already running maxrunning times."));
    }

    private static Task<object?> SaveAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var manager = Manager(call);
        if (Test(call))
        {
            return Done(Result(call, true, "Schedule would be saved."));
        }
        Dictionary<string, object?> result;
        try
        {
            manager.Save();
            result = Result(call, true, "Schedule (non-pillar items) saved.");
        }
        catch (InvalidOperationException e)
        {
            result = Failed(call, $"Failed to save schedule: {e.Message}.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            result = Failed(call, $"Failed to save schedule to {manager.SaveFile}: {e.Message}");
        }
        Announce(call, "/salt/minion/minion_schedule_saved", Map(("complete", result["result"])));
        return Done(result);
    }

    private static Task<object?> PurgeAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var manager = Manager(call);
        var comments = new List<object?>();
        var changes = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (Test(call))
        {
            foreach (var name in manager.List(includePillar: false).Keys.Where(k => !ScheduleJobParser.IsGlobalKey(k) && !k.StartsWith("__", StringComparison.Ordinal)))
            {
                comments.Add($"Job: {name} would be deleted from schedule.");
            }
            return Done(Result(call, true, comments, changes));
        }
        foreach (var name in manager.Purge(Persist(call)))
        {
            comments.Add($"Deleted job: {name} from schedule.");
            changes[name] = "removed";
        }
        AnnounceSchedule(call, manager, "/salt/minion/minion_schedule_delete_complete");
        return Done(Result(call, true, comments, changes));
    }

    private static Task<object?> NextFireTimeAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var manager = Manager(call);
        var name = call.RequireString("name");
        var next = manager.NextFireTime(name) is { } at ? at.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) : null;
        Announce(call, "/salt/minion/minion_schedule_next_fire_time_complete", Map(("complete", true), ("next_fire_time", next)));
        return Done(next is not null
            ? Map(("result", true), ("next_fire_time", next))
            : Failed(call, "next fire time not available."));
    }

    private static Task<object?> Done(object? value) => Task.FromResult(value);
}

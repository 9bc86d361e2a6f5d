using System.Globalization;
using Cronos;
using Orchestrator.Shared.Data;

namespace Orchestrator.Shared.Scheduling;

/// <summary>
/// Checks one job of a <c>schedule:</c> mapping against Salt's options and builds its <see cref="ScheduleJob"/>; anything
/// Salt would ignore the job for (two triggers at once, an unreadable time, a bad cron line) is an error naming the option.
/// </summary>
public static class ScheduleJobParser
{
    private static readonly string[] TimeElements = ["seconds", "minutes", "hours", "days"];
    private static readonly string[] Triggers = ["when", "cron", "once"];

    /// <summary>Parses the job <paramref name="key"/>; times are checked by reading them relative to <paramref name="now"/>.</summary>
    /// <exception cref="ScheduleConfigException">The definition cannot be used.</exception>
    public static ScheduleJob Parse(string key, object? raw, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (DataTree.Normalize(raw) is not Dictionary<string, object?> data)
        {
            throw new ScheduleConfigException($"scheduled job '{key}' must be a mapping of options, not {Describe(raw)}");
        }
        var function = (data.GetValueOrDefault("function") ?? data.GetValueOrDefault("func") ?? data.GetValueOrDefault("fun")) as string;
        if (string.IsNullOrWhiteSpace(function))
        {
            throw new ScheduleConfigException("'function' is required (the function to call, such as test.ping)");
        }
        var triggers = Triggers.Where(data.ContainsKey).ToList();
        var elements = TimeElements.Where(data.ContainsKey).ToList();
        if (triggers.Count > 1)
        {
            throw new ScheduleConfigException($"unable to use \"{string.Join("\", \"", triggers)}\" options together");
        }
        if (triggers.Count == 1 && elements.Count > 0)
        {
            throw new ScheduleConfigException($"unable to use \"{string.Join("\", \"", elements)}\" with \"{triggers[0]}\"");
        }
        if (triggers.Count == 0 && elements.Count == 0)
        {
            throw new ScheduleConfigException("one of seconds, minutes, hours, days, cron, when or once is required");
        }
        var job = new ScheduleJob
        {
            Name = data.GetValueOrDefault("name") as string is { Length: > 0 } named ? named : key,
            Function = function.Trim(),
            Args = data.GetValueOrDefault("args") switch
            {
                null => [],
                List<object?> list => list,
                var other => throw new ScheduleConfigException($"'args' must be a list, not {Describe(other)}"),
            },
            Kwargs = data.GetValueOrDefault("kwargs") switch
            {
                null => new Dictionary<string, object?>(StringComparer.Ordinal),
                Dictionary<string, object?> map => map,
                var other => throw new ScheduleConfigException($"'kwargs' must be a mapping, not {Describe(other)}"),
            },
            Trigger = triggers.Count == 0 ? ScheduleTrigger.Interval : triggers[0] switch
            {
                "cron" => ScheduleTrigger.Cron,
                "when" => ScheduleTrigger.When,
                _ => ScheduleTrigger.Once,
            },
            Splay = ReadSplay(data.GetValueOrDefault("splay")),
            RunOnStart = Bool(data, "run_on_start", false),
            MaxRunning = (int)Integer(data, "maxrunning", 1, minimum: 1),
            Range = ReadWindow(data, "range", now, zone),
            SkipDuringRange = ReadWindow(data, "skip_during_range", now, zone),
            Until = ReadTime(data, "until", now, zone),
            After = ReadTime(data, "after", now, zone),
            Enabled = Bool(data, "enabled", true),
            JidInclude = Bool(data, "jid_include", true),
            ReturnJob = Bool(data, "return_job", true),
            Fingerprint = DataTree.ToJson(Visible(data), indent: false),
        };
        return job.Trigger switch
        {
            ScheduleTrigger.Interval => WithInterval(job, data),
            ScheduleTrigger.Cron => job with { Cron = ReadCron(data["cron"]) },
            ScheduleTrigger.When => job with { When = ReadWhen(data["when"], now, zone) },
            _ => WithOnce(job, data, zone),
        };
    }

    /// <summary>Salt's global keys under <c>schedule:</c>, which are settings, not jobs.</summary>
    public static bool IsGlobalKey(string key) => key is "enabled" or "splay" or "skip_during_range" or "skip_function";

    /// <summary>Reads a global or per-job splay: a positive number of seconds, or <c>{start, end}</c>.</summary>
    /// <exception cref="ScheduleConfigException">The splay is neither.</exception>
    public static ScheduleSplay? ReadSplay(object? raw)
    {
        switch (DataTree.Normalize(raw))
        {
            case null or false:
                return null;
            case Dictionary<string, object?> range:
                var start = ToInt(range.GetValueOrDefault("start"), "splay start");
                var end = ToInt(range.GetValueOrDefault("end"), "splay end");
                if (start < 0 || end < start)
                {
                    throw new ScheduleConfigException($"invalid splay {{start: {start}, end: {end}}}: end must be at least start, both 0 or more");
                }
                return new ScheduleSplay((int)start, (int)end);
            case var value:
                var seconds = ToInt(value, "splay");
                return seconds switch
                {
                    0 => null,
                    < 0 => throw new ScheduleConfigException($"splay must be a positive number of seconds, not {seconds}"),
                    _ => new ScheduleSplay(1, (int)seconds),
                };
        }
    }

    /// <summary>Reads a <c>range</c>-shaped option (<c>{start, end, invert}</c>); null when absent.</summary>
    /// <exception cref="ScheduleConfigException">It is not a mapping, a time does not parse, or end is not after start.</exception>
    public static ScheduleWindow? ReadWindow(Dictionary<string, object?> data, string option, DateTimeOffset now, TimeZoneInfo zone)
    {
        switch (data.GetValueOrDefault(option))
        {
            case null:
                return null;
            case Dictionary<string, object?> range:
                var start = range.GetValueOrDefault("start") is { } s ? DataTree.KeyToString(s)
                    : throw new ScheduleConfigException($"'{option}' needs a start");
                var end = range.GetValueOrDefault("end") is { } e ? DataTree.KeyToString(e)
                    : throw new ScheduleConfigException($"'{option}' needs an end");
                var window = new ScheduleWindow(start, end, DataTree.IsTruthy(range.GetValueOrDefault("invert")));
                _ = Resolve(window, option, now, zone);
                return window;
            case var other:
                throw new ScheduleConfigException($"'{option}' must be a mapping with start and end, not {Describe(other)}");
        }
    }

    /// <summary>A window's two times relative to <paramref name="now"/>.</summary>
    /// <exception cref="ScheduleConfigException">A time does not parse, or end is not after start.</exception>
    public static (DateTimeOffset Start, DateTimeOffset End) Resolve(ScheduleWindow window, string option, DateTimeOffset now, TimeZoneInfo zone)
    {
        var start = ParseTime(window.Start, $"{option} start", now, zone);
        var end = ParseTime(window.End, $"{option} end", now, zone);
        return end > start ? (start, end) : throw new ScheduleConfigException($"invalid {option}: end ({window.End}) must be after start ({window.Start})");
    }

    /// <summary>Reads one time of an option relative to <paramref name="now"/>.</summary>
    /// <exception cref="ScheduleConfigException">The time does not parse; the message names the option.</exception>
    public static DateTimeOffset ParseTime(string text, string option, DateTimeOffset now, TimeZoneInfo zone)
    {
        try
        {
            return ScheduleTime.Parse(text, now, zone);
        }
        catch (FormatException e)
        {
            throw new ScheduleConfigException($"invalid date string for {option}: {e.Message}");
        }
    }

    private static string? ReadTime(Dictionary<string, object?> data, string option, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (data.GetValueOrDefault(option) is not { } value)
        {
            return null;
        }
        var text = DataTree.KeyToString(value);
        _ = ParseTime(text, option, now, zone);
        return text;
    }

    private static ScheduleJob WithInterval(ScheduleJob job, Dictionary<string, object?> data)
    {
        var seconds = Integer(data, "seconds", 0, 0) + Integer(data, "minutes", 0, 0) * 60
            + Integer(data, "hours", 0, 0) * 3600 + Integer(data, "days", 0, 0) * 86400;
        return seconds > 0 ? job with { Interval = TimeSpan.FromSeconds(seconds) }
            : throw new ScheduleConfigException("the interval (seconds + minutes + hours + days) must be more than 0");
    }

    private static ScheduleJob WithOnce(ScheduleJob job, Dictionary<string, object?> data, TimeZoneInfo zone)
    {
        var once = DataTree.KeyToString(data["once"]);
        var format = data.GetValueOrDefault("once_fmt") as string ?? job.OnceFormat;
        try
        {
            _ = ScheduleTime.ParseExact(once, format, zone);
        }
        catch (FormatException e)
        {
            throw new ScheduleConfigException($"date string could not be parsed: {once}, {format}: {e.Message}");
        }
        return job with { Once = once, OnceFormat = format };
    }

    /// <summary>A 5-field cron line, or croniter's 6-field form with seconds last.</summary>
    private static CronExpression ReadCron(object? raw)
    {
        var text = raw as string ?? throw new ScheduleConfigException($"'cron' must be a cron line such as '*/5 * * * *', not {Describe(raw)}");
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            return fields.Length switch
            {
                5 => CronExpression.Parse(string.Join(' ', fields), CronFormat.Standard),
                6 => CronExpression.Parse(string.Join(' ', [fields[5], .. fields[..5]]), CronFormat.IncludeSeconds),
                _ => throw new CronFormatException($"expected 5 fields (minute hour day month weekday), got {fields.Length}"),
            };
        }
        catch (CronFormatException e)
        {
            throw new ScheduleConfigException($"invalid cron string '{text}': {e.Message}");
        }
    }

    private static List<string> ReadWhen(object? raw, DateTimeOffset now, TimeZoneInfo zone)
    {
        var items = raw switch
        {
            List<object?> list when list.Count > 0 => list,
            string or long or double => [raw],
            _ => throw new ScheduleConfigException($"'when' must be a time or a list of times, not {Describe(raw)}"),
        };
        var times = items.Select(i => i is null ? "" : DataTree.KeyToString(i)).ToList();
        foreach (var time in times)
        {
            _ = ParseTime(time, "when", now, zone);
        }
        return times;
    }

    private static Dictionary<string, object?> Visible(Dictionary<string, object?> data) =>
        data.Where(p => !p.Key.StartsWith('_')).OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static bool Bool(Dictionary<string, object?> data, string option, bool fallback) => data.GetValueOrDefault(option) switch
    {
        null => fallback,
        bool b => b,
        string s when s.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
        string s when s.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
        long l => l != 0,
        var other => throw new ScheduleConfigException($"'{option}' must be true or false, not {Describe(other)}"),
    };

    private static long Integer(Dictionary<string, object?> data, string option, long fallback, long minimum)
    {
        if (data.GetValueOrDefault(option) is not { } value)
        {
            return fallback;
        }
        var number = ToInt(value, option);
        return number >= minimum ? number : throw new ScheduleConfigException($"'{option}' must be at least {minimum}, not {number}");
    }

    private static long ToInt(object? value, string option) => value switch
    {
        long l => l,
        double d when d == Math.Floor(d) && Math.Abs(d) < long.MaxValue => (long)d,
        string s when long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw new ScheduleConfigException($"'{option}' must be a whole number, not {Describe(value)}"),
    };

    private static string Describe(object? value) => value is null ? "nothing" : DataTree.ToJson(value, indent: false);
}

using System.Globalization;
using Orchestrator.Shared.Config;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Reactor;

/// <summary>
/// The reactor's part of the master configuration: Salt's <c>reactor</c>, <c>reactor_refresh_interval</c>,
/// <c>reactor_worker_threads</c> and <c>reactor_worker_hwm</c>, and our storm protection, <c>reactor_rate_limit</c> and
/// <c>reactor_dedup_window</c>, on by default.
/// </summary>
public sealed class ReactorOptions
{
    public const int DefaultRateLimitCount = 20;
    public const int DefaultRateLimitSeconds = 10;
    public const int DefaultDedupSeconds = 1;

    public static readonly IReadOnlyList<ConfigKey> Keys =
    [
        new("reactor", ConfigKind.Any, new List<object?>(),
            "Salt's reactor map: a list of {tag glob: [sls files]} (absolute paths or salt:// URLs), or the path of a YAML file holding it."),
        new("reactor_refresh_interval", ConfigKind.Int, 60L, "Seconds reactor SLS files (and a reactor map file) are cached before they are read again."),
        new("reactor_worker_threads", ConfigKind.Int, 10L, "Workers that render reactions and run their actions."),
        new("reactor_worker_hwm", ConfigKind.Int, 10_000L, "Matched events waiting for a worker; past it new ones are dropped and counted."),
        new("reactor_rate_limit", ConfigKind.Map, new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["count"] = (long)DefaultRateLimitCount,
                ["per"] = (long)DefaultRateLimitSeconds,
            },
            "Actions one reactor rule may run per window: {count: 20, per: 10} (seconds); count 0 turns the limit off."),
        new("reactor_dedup_window", ConfigKind.Int, (long)DefaultDedupSeconds,
            "Seconds within which the same rule rendering the same action runs it once; 0 turns it off."),
    ];

    /// <summary>The rules, in config order (empty when <see cref="MapFile"/> holds them).</summary>
    public List<ReactorRule> Rules { get; set; } = [];

    /// <summary>A YAML file holding the reactor map (Salt's string form of <c>reactor</c>), re-read every refresh interval.</summary>
    public string? MapFile { get; set; }

    public int WorkerThreads { get; set; } = 10;

    /// <summary><c>reactor_worker_hwm</c>: how many matched events may wait for a worker.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Actions per rule per <see cref="RateLimitPer"/>; 0 means no limit.</summary>
    public int RateLimitCount { get; set; } = DefaultRateLimitCount;

    public TimeSpan RateLimitPer { get; set; } = TimeSpan.FromSeconds(DefaultRateLimitSeconds);

    /// <summary>Zero turns de-duplication off.</summary>
    public TimeSpan DedupWindow { get; set; } = TimeSpan.FromSeconds(DefaultDedupSeconds);

    /// <summary>Reads the reactor keys of a loaded configuration; a malformed value fails naming the key and the file.</summary>
    public static ReactorOptions FromConfig(IReadOnlyDictionary<string, object?> config, string path)
    {
        var options = new ReactorOptions
        {
            WorkerThreads = (int)Math.Clamp(config.GetLong("reactor_worker_threads", 10), 1, 256),
            QueueCapacity = (int)Math.Clamp(config.GetLong("reactor_worker_hwm", 10_000), 1, 10_000_000),
            RefreshInterval = TimeSpan.FromSeconds(Math.Max(0, config.GetLong("reactor_refresh_interval", 60))),
            DedupWindow = TimeSpan.FromSeconds(Math.Max(0, config.GetLong("reactor_dedup_window", DefaultDedupSeconds))),
        };
        var limit = config.GetMap("reactor_rate_limit");
        options.RateLimitCount = (int)Math.Clamp(Number(limit, "count", DefaultRateLimitCount, path), 0, int.MaxValue);
        options.RateLimitPer = TimeSpan.FromSeconds(Math.Max(1, Number(limit, "per", DefaultRateLimitSeconds, path)));
        switch (config.GetValueOrDefault("reactor"))
        {
            case null:
                break;
            case string file when file.Length > 0:
                options.MapFile = file;
                break;
            case var value:
                try
                {
                    options.Rules = ParseMap(value);
                }
                catch (FormatException e)
                {
                    throw new ConfigException($"{path}: invalid value for 'reactor': {e.Message}", e);
                }
                break;
        }
        return options;
    }

    private static long Number(Dictionary<string, object?> map, string key, long fallback, string path) =>
        map.GetValueOrDefault(key) switch
        {
            null => fallback,
            long l => l,
            double d => (long)Math.Ceiling(d),
            string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            var other => throw new ConfigException(
                $"{path}: invalid value for 'reactor_rate_limit:{key}': expected a number, got '{DataTree.ToJson(other, false)}'"),
        };

    /// <summary>
    /// Parses Salt's reactor map: a list of single-key mappings, each a tag glob to one file or a list of files.
    /// </summary>
    /// <exception cref="FormatException">The value is not of that shape; the message names the entry.</exception>
    public static List<ReactorRule> ParseMap(object? value)
    {
        if (value is not List<object?> entries)
        {
            throw new FormatException("expected a list of {tag glob: [sls files]}");
        }
        var rules = new List<ReactorRule>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not Dictionary<string, object?> { Count: 1 } entry)
            {
                throw new FormatException(
                    $"entry {i + 1} is {DataTree.ToJson(entries[i], false)}: expected one mapping of a tag glob to its sls files");
            }
            var (tag, files) = entry.First();
            rules.Add(new ReactorRule(tag, Files(tag, files)));
        }
        return rules;
    }

    private static List<string> Files(string tag, object? value) => value switch
    {
        string { Length: > 0 } one => [one],
        List<object?> list when list.Count > 0 && list.All(f => f is string { Length: > 0 }) => list.Cast<string>().ToList(),
        _ => throw new FormatException($"'{tag}' maps to {DataTree.ToJson(value, false)}: expected an sls file or a list of them"),
    };
}

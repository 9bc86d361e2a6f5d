using System.Globalization;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Beacons.Builtin;

/// <summary>
/// Salt's <c>status</c> beacon: a health report on every interval, <c>{data: {function: result}}</c> tagged with the UTC time,
/// from <c>status.*</c> functions (default: loadavg, cpustats, meminfo, vmstats, time).
/// </summary>
/// <remarks>
/// Unlike the other beacons it fires on every poll: that is its purpose. Each item is <c>- function: [all]</c> or a list of
/// fields (<c>- loadavg: [1-min, 5-min]</c>) or list indexes. cpustats, vmstats and time are read here; other functions are
/// called through the minion's <c>status</c> module.
/// </remarks>
[Beacon("status")]
public sealed class StatusBeacon(string hostRoot = "/") : IBeacon
{
    private static readonly string[] Defaults = ["loadavg", "cpustats", "meminfo", "vmstats", "time"];

    public string Doc => "Send a health report (load, CPU, memory, VM statistics, time) on every interval.";

    public IBeaconWatcher Create(BeaconConfig config)
    {
        var functions = config.Items.Count == 0
            ? Defaults.Select(f => (f, (IReadOnlyList<object?>)["all"])).ToList()
            : config.Items.Select(i => (i.Key, i.Value is List<object?> items ? (IReadOnlyList<object?>)items : [i.Value ?? "all"])).ToList();
        return new Watcher(hostRoot, functions);
    }

    private sealed class Watcher(string root, List<(string Function, IReadOnlyList<object?> Items)> functions) : IBeaconWatcher
    {
        public async Task<IReadOnlyList<Dictionary<string, object?>>> PollAsync(BeaconContext context, CancellationToken cancellationToken)
        {
            var report = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (function, items) in functions)
            {
                report[function] = new Dictionary<string, object?>(StringComparer.Ordinal);
                var (found, data) = await CallAsync(function, context, cancellationToken).ConfigureAwait(false);
                if (!found)
                {
                    report[function] = $"Status beacon is incorrectly configured: status.{function} is not available";
                    continue;
                }
                if (data is null)
                {
                    continue;
                }
                report[function] = Select(data, items);
            }
            var stamp = context.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture);
            return [new Dictionary<string, object?>(StringComparer.Ordinal) { ["tag"] = stamp, ["data"] = report }];
        }

        private static object? Select(object data, IReadOnlyList<object?> items)
        {
            if (items.Any(i => i is "all") || data is not (Dictionary<string, object?> or List<object?>))
            {
                return data;
            }
            var picked = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                var key = PyText.Str(item);
                switch (data)
                {
                    case Dictionary<string, object?> map when map.TryGetValue(key, out var value):
                        picked[key] = value;
                        break;
                    case List<object?> list when int.TryParse(key, CultureInfo.InvariantCulture, out var index) && index >= 0 && index < list.Count:
                        picked[key] = list[index];
                        break;
                    default:
                        return $"Status beacon is incorrectly configured: '{key}'";
                }
            }
            return picked;
        }

        /// <summary>Runs one status function: (false, null) when there is no such function, (true, null) when it failed.</summary>
        private async Task<(bool Found, object? Data)> CallAsync(string function, BeaconContext context, CancellationToken cancellationToken)
        {
            switch (function)
            {
                case "cpustats":
                    return (true, CpuStats(root));
                case "vmstats":
                    return (true, VmStats(root));
                case "time":
                    var now = context.Time.GetLocalNow();
                    return (true, now.ToString("dddd, dd. MMMM yyyy hh:mmtt", CultureInfo.InvariantCulture));
            }
            var module = context.Module;
            var name = "status." + function;
            if (module is null || !module.Modules.Exists(name))
            {
                return (false, null);
            }
            var result = await module.Modules.InvokeAsync(name, [], new Dictionary<string, object?>(), module, cancellationToken).ConfigureAwait(false);
            return (true, result.Success ? result.Return : null);
        }
    }

    /// <summary>Salt's <c>status.cpustats</c> on Linux, from <c>proc/stat</c>.</summary>
    internal static Dictionary<string, object?> CpuStats(string root)
    {
        var stats = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var line in HostFiles.Read(root, "proc/stat").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var c = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (c.Length < 2)
            {
                continue;
            }
            stats[c[0]] = c[0] switch
            {
                "cpu" when c.Length > 8 => new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["idle"] = Number(c[4]), ["iowait"] = Number(c[5]), ["irq"] = Number(c[6]), ["nice"] = Number(c[2]),
                    ["softirq"] = Number(c[7]), ["steal"] = Number(c[8]), ["system"] = Number(c[3]), ["user"] = Number(c[1]),
                },
                "intr" => new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["total"] = Number(c[1]), ["irqs"] = c.Skip(2).Select(Number).ToList(),
                },
                "softirq" => new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["total"] = Number(c[1]), ["softirqs"] = c.Skip(2).Select(Number).ToList(),
                },
                _ => Number(c[1]),
            };
        }
        return stats;
    }

    /// <summary>Salt's <c>status.vmstats</c> on Linux, from <c>proc/vmstat</c>.</summary>
    internal static Dictionary<string, object?> VmStats(string root)
    {
        var stats = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var line in HostFiles.Read(root, "proc/vmstat").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var c = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (c.Length >= 2)
            {
                stats[c[0]] = Number(c[1]);
            }
        }
        return stats;
    }

    /// <summary>Salt's <c>_number</c>: an int for digits, else a float, else the text.</summary>
    private static object? Number(string text) =>
        text.Length > 0 && text.All(char.IsAsciiDigit) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
        : text;
}

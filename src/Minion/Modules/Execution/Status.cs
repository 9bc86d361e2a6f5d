using System.Globalization;
using Orchestrator.Minion.Modules.Providers;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>status</c> module: uptime, load, memory, CPU and disk figures from <c>/proc</c>.</summary>
[ExecutionModule("status")]
public sealed class StatusModule : IExecutionModule
{
    private readonly IProcessRunner _runner;
    private readonly string _root;

    /// <param name="runner">Runs <c>who</c> for the user count.</param>
    /// <param name="root">The filesystem root /proc is read under; "/" outside tests.</param>
    public StatusModule(IProcessRunner runner, string root = "/")
    {
        _runner = runner;
        _root = root;
        Functions =
        [
            new("cpuinfo", "Return the fields of /proc/cpuinfo as a dict (flags as a list).\n\nCLI Example: orch '*' status.cpuinfo", [], CpuInfo),
            new("diskusage", "Return {path: {total, available}} in bytes for the given paths, or every mounted filesystem.\n\n" +
                "CLI Example: orch '*' status.diskusage / /tmp", [], DiskUsage, AcceptsExtraArgs: true),
            new("loadavg", "Return the load averages as {1-min, 5-min, 15-min}.\n\nCLI Example: orch '*' status.loadavg", [], LoadAvg),
            new("meminfo", "Return /proc/meminfo as {field: {value, unit}}.\n\nCLI Example: orch '*' status.meminfo", [], MemInfo),
            new("time", "Return the minion's local time formatted with Python's strftime directives (default '%A, %d. %B %Y %I:%M%p').\n\n" +
                "CLI Example: orch '*' status.time '%s'", [Opt("format", "%A, %d. %B %Y %I:%M%p")],
                (call, _) => Task.FromResult<object?>(Shared.Data.PyStrftime.Format(call.Context.Time.GetLocalNow(), call.GetString("format") ?? string.Empty))),
            new("uptime", "Return the uptime as {seconds, since_iso, since_t, days, time, users}.\n\nCLI Example: orch '*' status.uptime", [],
                UptimeAsync),
            new("version", "Return the kernel version string from /proc/version.\n\nCLI Example: orch '*' status.version", [],
                (_, _) => Task.FromResult<object?>(ReadProc("version").Trim())),
        ];
    }

    public string Doc => "Return system status figures: uptime, load average, memory, CPU and disk usage.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private string ReadProc(string name)
    {
        var path = Path.Combine(_root, "proc", name);
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new ModuleException($"Cannot read {path}: {e.Message}", e);
        }
    }

    private Task<object?> LoadAvg(ModuleCall call, CancellationToken cancellationToken)
    {
        var parts = ReadProc("loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        double At(int i) => double.Parse(parts[i], CultureInfo.InvariantCulture);
        return Task.FromResult<object?>(new Dictionary<string, object?> { ["1-min"] = At(0), ["5-min"] = At(1), ["15-min"] = At(2) });
    }

    private Task<object?> MemInfo(ModuleCall call, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var line in ReadProc("meminfo").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }
            var value = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var entry = new Dictionary<string, object?> { ["value"] = value.FirstOrDefault() ?? string.Empty };
            if (value.Length > 1)
            {
                entry["unit"] = value[1];
            }
            result[line[..colon].Trim()] = entry;
        }
        return Task.FromResult<object?>(result);
    }

    private Task<object?> CpuInfo(ModuleCall call, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var line in ReadProc("cpuinfo").Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            result[key] = key is "flags" or "Features"
                ? value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Cast<object?>().ToList()
                : value;
        }
        return Task.FromResult<object?>(result);
    }

    private async Task<object?> UptimeAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var seconds = (long)double.Parse(ReadProc("uptime").Split(' ')[0], CultureInfo.InvariantCulture);
        var now = call.Context.Time.GetUtcNow();
        var since = now.AddSeconds(-seconds);
        var users = 0L;
        try
        {
            var who = await _runner.RunAsync(new ProcessRequest("who", []), cancellationToken).ConfigureAwait(false);
            users = who.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        }
        catch (ModuleException)
        {
            // No who(1): report no users rather than fail the whole call.
        }
        var span = TimeSpan.FromSeconds(seconds);
        return new Dictionary<string, object?>
        {
            ["seconds"] = seconds,
            ["since_iso"] = since.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            ["since_t"] = since.ToUnixTimeSeconds(),
            ["days"] = (long)span.TotalDays,
            ["time"] = $"{span.Hours}:{span.Minutes}",
            ["users"] = users,
        };
    }

    private Task<object?> DiskUsage(ModuleCall call, CancellationToken cancellationToken)
    {
        var paths = call.ExtraArgs.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture) ?? "").Where(p => p.Length > 0).ToList();
        if (paths.Count == 0)
        {
            paths = ReadProc("mounts").Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split(' '))
                .Where(cols => cols.Length > 2 && !IsPseudo(cols[2]))
                .Select(cols => cols[1].Replace("\\040", " ", StringComparison.Ordinal))
                .Distinct()
                .ToList();
        }
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            try
            {
                var drive = new DriveInfo(path);
                result[path] = new Dictionary<string, object?> { ["total"] = drive.TotalSize, ["available"] = drive.AvailableFreeSpace };
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // A mount that vanished or that we may not stat is left out, as statvfs errors are in Salt.
            }
        }
        return Task.FromResult<object?>(result);
    }

    private static bool IsPseudo(string fsType) =>
        fsType is "proc" or "sysfs" or "devpts" or "cgroup" or "cgroup2" or "securityfs" or "debugfs" or "tracefs" or "pstore"
            or "bpf" or "mqueue" or "hugetlbfs" or "configfs" or "fusectl" or "binfmt_misc" or "autofs" or "rpc_pipefs" or "nsfs";
}

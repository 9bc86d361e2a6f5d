namespace Orchestrator.Minion.Beacons.Builtin;

/// <summary>
/// Salt's <c>ps</c> beacon: <c>processes: {name: running|stopped}</c> fires <c>{name: Running}</c> when a process of that
/// name is present, <c>{name: Stopped}</c> when none is.
/// </summary>
/// <remarks>
/// Fires when a process enters the configured condition (including on the first poll), not again until it left it and came
/// back; <c>- onchangeonly: False</c> fires on every poll while the condition holds, as Salt does. Any other value than
/// running or stopped fires <c>{name: False}</c> while the process is absent, as in Salt. Names are psutil's: the kernel's
/// 15-character <c>comm</c>, extended from the command line when truncated.
/// </remarks>
[Beacon("ps")]
public sealed class PsBeacon(string hostRoot = "/") : IBeacon
{
    public string Doc => "Fire when a named process starts (running) or is gone (stopped).";

    public IBeaconWatcher Create(BeaconConfig config)
    {
        var processes = config.RequireMap("processes");
        if (processes.Count == 0)
        {
            throw config.Error("processes", "names no process");
        }
        var wanted = processes.ToDictionary(
            p => p.Key,
            p => p.Value is string s ? s.ToLowerInvariant() : Orchestrator.Shared.Data.PyText.Str(p.Value),
            StringComparer.Ordinal);
        return new Watcher(hostRoot, wanted, config.Bool("onchangeonly", true));
    }

    /// <summary>The names of the processes running now, as psutil's <c>Process.name()</c> gives them.</summary>
    internal static HashSet<string> ProcessNames(string root)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dir in Directory.EnumerateDirectories(HostFiles.PathOf(root, "proc")))
        {
            var pid = Path.GetFileName(dir);
            if (pid.Length == 0 || !pid.All(char.IsAsciiDigit))
            {
                continue;
            }
            try
            {
                var name = File.ReadAllText(Path.Combine(dir, "comm")).TrimEnd('\n');
                if (name.Length >= 15)
                {
                    var argv0 = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0')[0];
                    var full = Path.GetFileName(argv0);
                    name = full.StartsWith(name, StringComparison.Ordinal) ? full : name;
                }
                names.Add(name);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }
        return names;
    }

    private sealed class Watcher(string root, Dictionary<string, string> wanted, bool onChangeOnly) : IBeaconWatcher
    {
        private readonly HashSet<string> _holding = new(StringComparer.Ordinal);

        public Task<IReadOnlyList<Dictionary<string, object?>>> PollAsync(BeaconContext context, CancellationToken cancellationToken)
        {
            var running = ProcessNames(root);
            var events = new List<Dictionary<string, object?>>();
            foreach (var (name, state) in wanted)
            {
                var present = running.Contains(name);
                object? report = state switch
                {
                    "running" => present ? "Running" : null,
                    "stopped" => present ? null : "Stopped",
                    _ => present ? null : false,
                };
                if (report is null)
                {
                    _holding.Remove(name);
                    continue;
                }
                if (_holding.Add(name) || !onChangeOnly)
                {
                    events.Add(new Dictionary<string, object?>(StringComparer.Ordinal) { [name] = report });
                }
            }
            return Task.FromResult<IReadOnlyList<Dictionary<string, object?>>>(events);
        }
    }
}

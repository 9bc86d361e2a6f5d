using Orchestrator.Minion.Modules.Providers;

namespace Orchestrator.Minion.Beacons.Builtin;

/// <summary>
/// Salt's <c>service</c> beacon: <c>services: {name: {onchangeonly, delay, emitatstartup, uncleanshutdown}}</c> fires
/// <c>{name: {running, uncleanshutdown?}, service_name}</c> tagged with the service name.
/// </summary>
/// <remarks>
/// <c>onchangeonly</c> defaults to True here (Salt's default is False): an event when the running state changes, and one for
/// the first look unless <c>emitatstartup: False</c>; False fires on every poll. <c>delay</c> holds a change back until it has
/// lasted that many seconds. <c>uncleanshutdown</c> names a pid file: while the service is down, the event says whether the
/// file was left behind. Status comes from the minion's service provider (systemd or sysvinit).
/// </remarks>
[Beacon("service")]
public sealed class ServiceBeacon(Func<IServiceManager> manager) : IBeacon
{
    public string Doc => "Fire when a service starts or stops (with an unclean-shutdown hint from its pid file).";

    public IBeaconWatcher Create(BeaconConfig config)
    {
        var services = config.RequireMap("services");
        if (services.Count == 0)
        {
            throw config.Error("services", "names no service");
        }
        var watched = new List<Watched>();
        foreach (var (name, value) in services)
        {
            var path = $"services:{name}";
            var settings = config.Map(value, path, nullIsEmpty: true);
            var delay = settings.TryGetValue("delay", out var d) && d is not null ? config.Number(d, $"{path}:delay") : 0;
            if (delay < 0)
            {
                throw config.Error($"{path}:delay", $"must not be negative, got {delay}");
            }
            watched.Add(new Watched(
                name,
                config.Bool(settings.GetValueOrDefault("onchangeonly"), $"{path}:onchangeonly", true),
                config.Bool(settings.GetValueOrDefault("emitatstartup"), $"{path}:emitatstartup", true),
                TimeSpan.FromSeconds(delay),
                settings.TryGetValue("uncleanshutdown", out var pid) && pid is not null ? config.String(pid, $"{path}:uncleanshutdown") : null));
        }
        return new Watcher(manager, watched);
    }

    private sealed record Watched(string Name, bool OnChangeOnly, bool EmitAtStartup, TimeSpan Delay, string? PidFile);

    private sealed class Watcher(Func<IServiceManager> manager, List<Watched> services) : IBeaconWatcher
    {
        private readonly Dictionary<string, bool> _last = new(StringComparer.Ordinal);
        private readonly Dictionary<string, DateTimeOffset> _pendingSince = new(StringComparer.Ordinal);

        public async Task<IReadOnlyList<Dictionary<string, object?>>> PollAsync(BeaconContext context, CancellationToken cancellationToken)
        {
            var provider = manager();
            var now = context.Time.GetUtcNow();
            var events = new List<Dictionary<string, object?>>();
            foreach (var service in services)
            {
                var running = await provider.StatusAsync(service.Name, cancellationToken).ConfigureAwait(false);
                if (!service.OnChangeOnly || Changed(service, running, now))
                {
                    events.Add(Event(service, running));
                }
            }
            return events;
        }

        /// <summary>Salt's change tracking: a first look or a change fires now, or once it has lasted <c>delay</c>.</summary>
        private bool Changed(Watched service, bool running, DateTimeOffset now)
        {
            if (!_last.TryGetValue(service.Name, out var last))
            {
                _last[service.Name] = running;
                if (!service.EmitAtStartup)
                {
                    return false;
                }
                return Hold(service, now);
            }
            if (last != running)
            {
                _last[service.Name] = running;
                return Hold(service, now);
            }
            if (_pendingSince.TryGetValue(service.Name, out var since) && now - since > service.Delay)
            {
                _pendingSince.Remove(service.Name);
                return true;
            }
            return false;
        }

        private bool Hold(Watched service, DateTimeOffset now)
        {
            if (service.Delay <= TimeSpan.Zero)
            {
                return true;
            }
            _pendingSince[service.Name] = now;
            return false;
        }

        private static Dictionary<string, object?> Event(Watched service, bool running)
        {
            var state = new Dictionary<string, object?>(StringComparer.Ordinal) { ["running"] = running };
            if (service.PidFile is { } pidFile && !running)
            {
                state["uncleanshutdown"] = File.Exists(pidFile);
            }
            return new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                [service.Name] = state,
                ["service_name"] = service.Name,
                ["tag"] = service.Name,
            };
        }
    }
}

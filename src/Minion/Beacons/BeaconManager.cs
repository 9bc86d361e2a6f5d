using Microsoft.Extensions.Logging;
using Orchestrator.Minion.Events;
using Orchestrator.Minion.Hosting;
using Orchestrator.Minion.Modules;

namespace Orchestrator.Minion.Beacons;

/// <summary>
/// The minion's beacons: their configuration (the minion config's <c>beacons:</c>, <c>minion.d/beacons.conf</c>, and pillar
/// <c>beacons:</c>, which wins on the same name as Salt merges opts then pillar), one runner per enabled beacon, and the
/// changes <c>beacons.*</c> makes at run time.
/// </summary>
/// <remarks>
/// A reload keeps the runner (and so the watcher's state) of every beacon whose configuration did not change. An invalid
/// beacon is logged with its name and the key at fault and does not run; the others do.
/// </remarks>
public sealed class BeaconManager : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly BeaconRegistry _registry;
    private readonly MinionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, BeaconRunner> _runners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BeaconStatus> _idle = new(StringComparer.Ordinal);
    private readonly List<Task> _stopping = [];
    private Dictionary<string, object?> _opts;
    private Dictionary<string, object?> _pillar = new(StringComparer.Ordinal);
    private bool _globallyEnabled = true;
    private ModuleContext? _context;
    private BeaconEventSender? _sender;
    private CancellationTokenSource? _senderStop;
    private Task _senderLoop = Task.CompletedTask;
    private IDisposable? _pillarListener;
    private bool _started;

    public BeaconManager(MinionOptions options, BeaconRegistry registry, TimeProvider time, ILogger<BeaconManager> logger)
    {
        _options = options;
        _registry = registry;
        _time = time;
        _logger = logger;
        _opts = BeaconSources.ReadOpts(options, SaveFile, logger);
    }

    public BeaconRegistry Registry => _registry;

    /// <summary>Where <c>beacons.save</c> writes; null when the minion was not started from a configuration directory.</summary>
    public string? SaveFile => _options.ConfigDir is { Length: > 0 } dir ? BeaconsFile.PathIn(dir) : null;

    /// <summary>The beacon module names this minion offers, sorted.</summary>
    public IReadOnlyList<string> Available => [.. _registry.Beacons.Keys];

    /// <summary>What became of the events sent so far (all zero before <see cref="Start"/>).</summary>
    public BeaconEventStats EventStats => _sender?.Stats ?? new BeaconEventStats(0, 0, 0, 0, 0, 0, true);

    internal bool GloballyEnabled => Volatile.Read(ref _globallyEnabled);

    /// <summary>Every configured beacon, running or not, by name.</summary>
    public IReadOnlyDictionary<string, BeaconStatus> Status
    {
        get
        {
            lock (_lock)
            {
                var all = new SortedDictionary<string, BeaconStatus>(_idle, StringComparer.Ordinal);
                foreach (var (name, runner) in _runners)
                {
                    all[name] = runner.Status;
                }
                return all;
            }
        }
    }

    /// <summary>Starts the runners and the event sender, and follows pillar refreshes on the minion's local bus.</summary>
    public void Start(ModuleContext context)
    {
        lock (_lock)
        {
            if (_started)
            {
                throw new InvalidOperationException("the beacon manager is already started");
            }
            _started = true;
            _context = context;
            if (context.Events is { } events)
            {
                _sender = new BeaconEventSender(events, _options.ReconnectDefault, _options.ReconnectMax, _time, _logger);
                _senderStop = new CancellationTokenSource();
                var stop = _senderStop.Token;
                _senderLoop = Task.Run(() => _sender.RunAsync(stop));
                _pillarListener = events.Listen(ModuleContext.PillarRefreshCompleteTag, (_, _) => ReloadPillar());
            }
            _pillar = BeaconSources.ReadPillar(context, _logger);
        }
        Reload();
    }

    /// <summary>Stops every runner and the sender.</summary>
    public async Task StopAsync()
    {
        List<Task> stops;
        lock (_lock)
        {
            _started = false;
            _pillarListener?.Dispose();
            _pillarListener = null;
            stops = [.. _runners.Values.Select(r => r.StopAsync()), .. _stopping];
            _runners.Clear();
            _stopping.Clear();
        }
        await Task.WhenAll(stops).ConfigureAwait(false);
        if (_senderStop is { } stop)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await _senderLoop.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>Reads pillar <c>beacons:</c> again and applies the result.</summary>
    public void ReloadPillar()
    {
        if (_context is not { } context)
        {
            return;
        }
        var pillar = BeaconSources.ReadPillar(context, _logger);
        lock (_lock)
        {
            _pillar = pillar;
        }
        Reload();
    }

    /// <summary>Applies the current configuration: starts, restarts or stops runners whose configuration changed.</summary>
    public void Reload()
    {
        lock (_lock)
        {
            var effective = Merge(includeOpts: true, includePillar: true);
            Volatile.Write(ref _globallyEnabled, effective.GetValueOrDefault("enabled") is not false);
            _idle.Clear();
            foreach (var name in _runners.Keys.Where(n => !effective.ContainsKey(n) || n == "enabled").ToList())
            {
                StopRunner(name);
            }
            foreach (var (name, raw) in effective)
            {
                if (name != "enabled")
                {
                    Apply(name, raw);
                }
            }
            if (_started)
            {
                BeaconLog.Loaded(_logger, _runners.Count, _idle.Values.Count(s => s.ConfigError is null), _idle.Values.Count(s => s.ConfigError is not null));
            }
        }
    }

    private void Apply(string name, object? raw)
    {
        BeaconSpec spec;
        IBeaconWatcher watcher;
        try
        {
            spec = BeaconSpec.Parse(name, raw, _registry);
            if (_runners.TryGetValue(name, out var current) && current.Spec.Fingerprint == spec.Fingerprint)
            {
                return;
            }
            watcher = _registry.Find(spec.Module)!.Create(spec.Config);
        }
        catch (BeaconConfigException e)
        {
            StopRunner(name);
            var module = BeaconData.Flatten(raw).GetValueOrDefault("beacon_module") as string ?? name;
            _idle[name] = new BeaconStatus(name, module, false, 0, 0, 0, null, e.Message);
            if (_started)
            {
                BeaconLog.ConfigInvalid(_logger, name, e.Message);
            }
            return;
        }
        StopRunner(name);
        if (!spec.Enabled || !_started)
        {
            (watcher as IDisposable)?.Dispose();
            _idle[name] = new BeaconStatus(name, spec.Module, false, 0, 0, 0, null, null);
            return;
        }
        var runner = new BeaconRunner(this, spec, _registry.Find(spec.Module)!, watcher, _logger);
        _runners[name] = runner;
        runner.Start(_time);
    }

    private void StopRunner(string name)
    {
        if (_runners.Remove(name, out var runner))
        {
            _stopping.RemoveAll(t => t.IsCompleted);
            _stopping.Add(runner.StopAsync());
        }
    }

    /// <summary>Polls one running beacon now, outside its schedule (tests and diagnostics).</summary>
    internal async Task PollNowAsync(string name, CancellationToken cancellationToken)
    {
        BeaconRunner? runner;
        lock (_lock)
        {
            runner = _runners.GetValueOrDefault(name);
        }
        if (runner is null)
        {
            throw new InvalidOperationException($"beacon '{name}' is not running");
        }
        await runner.PollOnceAsync(cancellationToken).ConfigureAwait(false);
    }

    internal BeaconContext ContextFor(string name) => new() { Name = name, Module = _context, Time = _time };

    /// <summary>Salt's <c>disable_during_state_run</c> test: a running job whose function starts with <c>state</c>.</summary>
    internal bool StateRunInProgress() =>
        _context?.Jobs?.Snapshot().Any(j => j.GetValueOrDefault("fun") is string fun && fun.StartsWith("state", StringComparison.Ordinal)) ?? false;

    /// <summary>Queues a beacon's events under <c>salt/beacon/&lt;id&gt;/&lt;name&gt;/</c> plus each event's own <c>tag</c>.</summary>
    internal void Fire(string name, IReadOnlyList<Dictionary<string, object?>> events)
    {
        if (_sender is not { } sender)
        {
            return;
        }
        foreach (var item in events)
        {
            var data = BeaconData.CopyMap(item);
            var tag = $"salt/beacon/{_options.Id}/{name}/";
            if (data.Remove("tag", out var suffix) && suffix is not null)
            {
                tag += suffix as string ?? Orchestrator.Shared.Data.PyText.Str(suffix);
            }
            data.TryAdd("id", _options.Id);
            sender.Enqueue(tag, data);
        }
    }

    internal void RanOnce(string name) => DisableBeacon(name);

    /// <summary>The beacons from opts, pillar or both; pillar wins on the same name.</summary>
    public Dictionary<string, object?> List(bool includeOpts = true, bool includePillar = true)
    {
        lock (_lock)
        {
            return BeaconData.CopyMap(Merge(includeOpts, includePillar));
        }
    }

    private Dictionary<string, object?> Merge(bool includeOpts, bool includePillar)
    {
        var merged = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (enabled, source) in new[] { (includeOpts, _opts), (includePillar, _pillar) })
        {
            if (!enabled)
            {
                continue;
            }
            foreach (var (name, config) in source)
            {
                merged[name] = config;
            }
        }
        return merged;
    }

    /// <summary>Salt's <c>validate_beacon</c>: whether a configuration would run, and why not.</summary>
    public (bool Valid, string Comment) Validate(string name, object? beaconData)
    {
        try
        {
            var spec = BeaconSpec.Parse(name, beaconData, _registry);
            (_registry.Find(spec.Module)!.Create(spec.Config) as IDisposable)?.Dispose();
            return (true, "Valid beacon configuration");
        }
        catch (BeaconConfigException e)
        {
            return (false, e.Message);
        }
    }

    public BeaconChange Add(string name, object? beaconData) => Change(() =>
    {
        if (_pillar.ContainsKey(name))
        {
            return (false, $"Cannot update beacon item {name}, because it is configured in pillar.");
        }
        var comment = _opts.ContainsKey(name) ? $"Updating settings for beacon item: {name}" : $"Added new beacon item: {name}";
        _opts[name] = BeaconData.Copy(beaconData);
        return (true, comment);
    });

    public BeaconChange Modify(string name, object? beaconData) => Change(() =>
    {
        if (_pillar.ContainsKey(name))
        {
            return (false, $"Cannot modify beacon item {name}, it is configured in pillar.");
        }
        _opts[name] = BeaconData.Copy(beaconData);
        return (true, $"Updating settings for beacon item: {name}");
    });

    public BeaconChange Delete(string name) => Change(() =>
    {
        if (_pillar.ContainsKey(name))
        {
            return (false, $"Cannot delete beacon item {name}, it is configured in pillar.");
        }
        return _opts.Remove(name) ? (true, $"Deleting beacon item: {name}") : (true, $"Beacon item {name} not found.");
    });

    public BeaconChange EnableAll() => Change(() =>
    {
        _opts["enabled"] = true;
        return (true, "Enabled beacons on minion.");
    });

    public BeaconChange DisableAll() => Change(() =>
    {
        _opts["enabled"] = false;
        return (true, "Disabled beacons on minion.");
    });

    public BeaconChange EnableBeacon(string name) => Change(() => SetEnabled(name, true, "Enabling", "enable"));

    public BeaconChange DisableBeacon(string name) => Change(() => SetEnabled(name, false, "Disabling", "disable"));

    public BeaconChange Reset() => Change(() =>
    {
        _opts = new Dictionary<string, object?>(StringComparer.Ordinal);
        return (true, "Beacons have been reset");
    });

    /// <summary>Writes the minion's own beacons to <see cref="SaveFile"/>; returns its path.</summary>
    /// <exception cref="InvalidOperationException">There is no configuration directory.</exception>
    public string Save()
    {
        var path = SaveFile ?? throw new InvalidOperationException("the minion has no configuration directory");
        BeaconsFile.Write(path, List(includeOpts: true, includePillar: false));
        BeaconLog.Saved(_logger, path);
        return path;
    }

    private BeaconChange Change(Func<(bool Complete, string Comment)> change)
    {
        (bool Complete, string Comment) result;
        Dictionary<string, object?> beacons;
        lock (_lock)
        {
            result = change();
            beacons = BeaconData.CopyMap(_opts);
        }
        Reload();
        return new BeaconChange(result.Complete, result.Comment, beacons);
    }

    /// <summary>Salt's <c>_update_enabled</c>: sets <c>enabled</c> in the dict form, or in (or appended to) the list form.</summary>
    private (bool, string) SetEnabled(string name, bool enabled, string verb, string action)
    {
        if (_pillar.ContainsKey(name))
        {
            return (false, $"Cannot {action} beacon item {name}, it is configured in pillar.");
        }
        switch (_opts.GetValueOrDefault(name))
        {
            case Dictionary<string, object?> map:
                var updated = BeaconData.CopyMap(map);
                updated["enabled"] = enabled;
                _opts[name] = updated;
                break;
            case List<object?> list:
                var copy = (List<object?>)BeaconData.Copy(list)!;
                if (copy.OfType<Dictionary<string, object?>>().FirstOrDefault(i => i.ContainsKey("enabled")) is { } item)
                {
                    item["enabled"] = enabled;
                }
                else
                {
                    copy.Add(new Dictionary<string, object?>(StringComparer.Ordinal) { ["enabled"] = enabled });
                }
                _opts[name] = copy;
                break;
            case null when !_opts.ContainsKey(name):
                return (false, $"Beacon item {name} not found.");
            case null:
                _opts[name] = new List<object?> { new Dictionary<string, object?>(StringComparer.Ordinal) { ["enabled"] = enabled } };
                break;
            default:
                return (false, $"Cannot {action} beacon item {name}: its configuration is neither a list nor a mapping.");
        }
        return (true, $"{verb} beacon item {name}");
    }

    /// <summary>
    /// Fires a completion event as Salt does on the minion's own bus (<c>/salt/minion/minion_beacon_add_complete</c>) and,
    /// when <paramref name="operation"/> is given, to the master as <c>salt/minion/&lt;id&gt;/beacons_&lt;operation&gt;_complete</c>;
    /// a master that cannot be reached is logged.
    /// </summary>
    /// <param name="events">The calling job's events (a job may run before the beacons have started).</param>
    public async Task AnnounceAsync(
        IMinionEvents? events, string localTag, string? operation, Dictionary<string, object?> data, CancellationToken cancellationToken)
    {
        if (events is null)
        {
            return;
        }
        events.FireLocal(localTag, BeaconData.CopyMap(data));
        if (operation is null)
        {
            return;
        }
        var tag = $"salt/minion/{_options.Id}/beacons_{operation}_complete";
        try
        {
            if (!await events.FireMasterAsync(tag, BeaconData.CopyMap(data), cancellationToken).ConfigureAwait(false))
            {
                BeaconLog.EventRefused(_logger, tag);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            BeaconLog.AnnounceFailed(_logger, tag, e.Message);
        }
    }
}

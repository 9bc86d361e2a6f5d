using Microsoft.Extensions.Logging;

namespace Orchestrator.Minion.Beacons;

/// <summary>
/// Runs one configured beacon: polls its watcher on the beacon's interval, hands the events to the manager, and survives a
/// failing poll (logged with the beacon's name; the next poll runs as usual).
/// </summary>
internal sealed class BeaconRunner
{
    private readonly BeaconManager _manager;
    private readonly IBeacon _module;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private IBeaconWatcher? _watcher;
    private Task _loop = Task.CompletedTask;
    private long _polls;
    private long _events;
    private long _failures;
    private string? _lastError;

    public BeaconRunner(BeaconManager manager, BeaconSpec spec, IBeacon module, IBeaconWatcher watcher, ILogger logger)
    {
        _manager = manager;
        Spec = spec;
        _module = module;
        _watcher = watcher;
        _logger = logger;
    }

    public BeaconSpec Spec { get; }

    public BeaconStatus Status => new(
        Spec.Name, Spec.Module, Running: true, Interlocked.Read(ref _polls), Interlocked.Read(ref _events),
        Interlocked.Read(ref _failures), Volatile.Read(ref _lastError), ConfigError: null);

    public void Start(TimeProvider time)
    {
        BeaconLog.Started(_logger, Spec.Name, Spec.Module, Spec.Interval.TotalSeconds);
        _loop = Task.Run(() => LoopAsync(time, _stop.Token));
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        BeaconLog.Stopped(_logger, Spec.Name);
    }

    private async Task LoopAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // The first poll runs at once, so change-only beacons learn where they start from.
                await PollOnceAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(Spec.Interval, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped: removed, reconfigured or shutting down.
        }
        finally
        {
            Close();
        }
    }

    /// <summary>One poll, with Salt's checks first: beacons globally disabled, a state run in progress.</summary>
    public async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        if (!_manager.GloballyEnabled)
        {
            return;
        }
        if (Spec.DisableDuringStateRun && _manager.StateRunInProgress())
        {
            // Salt closes such a beacon (inotify drops its watches), so what a state run does is never reported.
            Close();
            BeaconLog.SkippedForStateRun(_logger, Spec.Name);
            return;
        }
        IReadOnlyList<Dictionary<string, object?>> events;
        try
        {
            _watcher ??= _module.Create(Spec.Config);
            events = await _watcher.PollAsync(_manager.ContextFor(Spec.Name), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            Failed(e);
            return;
        }
        var failures = Interlocked.Exchange(ref _failures, 0);
        if (failures > 0)
        {
            BeaconLog.PollRecovered(_logger, Spec.Name, failures);
            Volatile.Write(ref _lastError, null);
        }
        Interlocked.Increment(ref _polls);
        Interlocked.Add(ref _events, events.Count);
        _manager.Fire(Spec.Name, events);
        if (Spec.RunOnce)
        {
            BeaconLog.RanOnce(_logger, Spec.Name);
            _manager.RanOnce(Spec.Name);
        }
    }

    private void Failed(Exception e)
    {
        Interlocked.Increment(ref _failures);
        var message = $"{e.GetType().Name}: {e.Message}";
        if (Interlocked.Exchange(ref _lastError, message) == message)
        {
            BeaconLog.PollFailedAgain(_logger, Spec.Name, message);
        }
        else
        {
            BeaconLog.PollFailed(_logger, e, Spec.Name);
        }
    }

    private void Close()
    {
        if (Interlocked.Exchange(ref _watcher, null) is IDisposable disposable)
        {
            try
            {
                disposable.Dispose();
            }
            catch (Exception e)
            {
                BeaconLog.PollFailed(_logger, e, Spec.Name);
            }
        }
    }
}

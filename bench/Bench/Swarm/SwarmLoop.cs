using System.Diagnostics;
using System.Security.Cryptography;
using NetMQ;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Protocol;

namespace Orchestrator.Bench.Swarm;

/// <summary>
/// One poller thread shared by many simulated minions: it owns all their sockets, runs their protocol handlers, and takes
/// work from other threads only through its <see cref="NetMQQueue{T}"/>. A timer drives handshake timeouts, return
/// re-sends, heartbeats and the gradual start of new minions (at most a fixed number in their handshake at once, so the
/// swarm does not stampede the master's auth path).
/// </summary>
public sealed class SwarmLoop : IDisposable
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    private readonly NetMQPoller _poller = new();
    private readonly NetMQQueue<Action> _work = new();
    private readonly NetMQTimer _timer = new(TimeSpan.FromMilliseconds(250));
    private readonly List<SimMinion> _minions = [];
    private readonly Queue<SimMinion> _toStart = new();
    // Minions firing an EventLoad, pumped every few milliseconds by _fireTimer (acks also pump their own minion at once).
    private readonly List<SimMinion> _firing = [];
    private readonly NetMQTimer _fireTimer = new(TimeSpan.FromMilliseconds(5)) { Enable = false };
    private readonly int _concurrency;
    private RSA? _masterKey;
    private string? _masterPem;
    private int _inHandshake;
    private int _tickCursor;

    public SwarmLoop(int index, SwarmSettings settings, SwarmCounters counters, int concurrency)
    {
        Index = index;
        Settings = settings;
        Counters = counters;
        _concurrency = Math.Max(1, concurrency);
        _work.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var action, TimeSpan.Zero))
            {
                action();
            }
        };
        _timer.Elapsed += (_, _) => OnTick();
        _fireTimer.Elapsed += (_, _) => PumpFiring();
        _poller.Add(_work);
        _poller.Add(_timer);
        _poller.Add(_fireTimer);
    }

    public int Index { get; }

    public SwarmSettings Settings { get; }

    public SwarmCounters Counters { get; }

    public long NowMs => Clock.ElapsedMilliseconds;

    /// <summary>The clock every loop of this process shares (ms since the process's first loop was created).</summary>
    public static long ClockMs => Clock.ElapsedMilliseconds;

    public void Run() => _poller.RunAsync($"swarm-loop-{Index}");

    /// <summary>Hands work to the loop thread (the only way other threads touch its minions).</summary>
    public void Post(Action action) => _work.Enqueue(action);

    /// <summary>Queues a minion to be connected by this loop; call before or after <see cref="Run"/>.</summary>
    public void Adopt(int index, RSA key) => Post(() =>
    {
        var minion = new SimMinion(this, index, key);
        _minions.Add(minion);
        _toStart.Enqueue(minion);
        StartMore();
    });

    public void HandshakeStarted() => _inHandshake++;

    public void HandshakeEnded()
    {
        _inHandshake--;
        StartMore();
    }

    private void StartMore()
    {
        while (_inHandshake < _concurrency && _toStart.TryDequeue(out var minion))
        {
            minion.Connect(_poller, NowMs);
        }
    }

    /// <summary>Has every authenticated minion of this loop fire <paramref name="load"/>; returns how many minions started.</summary>
    public Task<int> StartFiringAsync(EventLoad load)
    {
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            var now = NowMs;
            var count = 0;
            foreach (var minion in _minions)
            {
                if (minion.StartFiring(load, now))
                {
                    _firing.Add(minion);
                }
                count += minion.Stage == MinionStage.Ready ? 1 : 0;
            }
            _fireTimer.Enable = _firing.Count > 0;
            started.TrySetResult(count);
        });
        return started.Task;
    }

    private void PumpFiring()
    {
        var now = NowMs;
        _firing.RemoveAll(minion => minion.FireEvents(now));
        _fireTimer.Enable = _firing.Count > 0;
    }

    private void OnTick()
    {
        var now = NowMs;
        // Visit a slice of the minions per tick (all of them every second), so one tick never stalls the loop for long.
        var slice = Math.Max(1, (_minions.Count + 3) / 4);
        for (var i = 0; i < slice && _minions.Count > 0; i++)
        {
            _tickCursor = (_tickCursor + 1) % _minions.Count;
            _minions[_tickCursor].Tick(now);
        }
        StartMore();
    }

    /// <summary>Pins the master key by the fingerprint the bench was given (as <c>master_finger</c> does) and checks the signature.</summary>
    public bool TrustMaster(string masterPem, Envelope signed)
    {
        if (_masterKey is null)
        {
            if (!KeyFingerprint.Matches(KeyFingerprint.Of(masterPem), Settings.MasterFingerprint))
            {
                return false;
            }
            _masterKey = RsaKeyPair.ImportPublic(masterPem);
            _masterPem = masterPem;
        }
        else if (!string.Equals(masterPem, _masterPem, StringComparison.Ordinal))
        {
            return false;
        }
        return VerifyMaster(signed);
    }

    /// <summary>Checks the master's RSA-PSS signature (each minion verifies every publish itself).</summary>
    public bool VerifyMaster(Envelope envelope) => _masterKey is { } key && EnvelopeSigner.Verify(envelope, key);

    public void Dispose()
    {
        _poller.Stop();
        foreach (var minion in _minions)
        {
            minion.Dispose();
        }
        _poller.Dispose();
        _work.Dispose();
        _masterKey?.Dispose();
    }
}

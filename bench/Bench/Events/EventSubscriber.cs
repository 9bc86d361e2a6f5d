using System.Diagnostics;
using Orchestrator.Bench.Swarm;
using Orchestrator.Shared.Ipc;

namespace Orchestrator.Bench.Events;

/// <summary>
/// One <c>state.event</c>-style subscriber: its own IPC connection to the master asking for <c>events</c> with a tag match,
/// decoding every frame as <c>orch run state.event</c> does (without printing). Counts what arrives and when; optionally
/// records each event's delivery latency from the <c>sent_us</c> stamp the simulated minion put in it.
/// </summary>
public sealed class EventSubscriber : IAsyncDisposable
{
    private readonly MasterClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<double>? _latenciesMs;
    private readonly Action<string, Dictionary<string, object?>, long>? _onEvent;
    private Task _reader = Task.CompletedTask;
    private long _received;
    private long _lastTimestamp;

    private EventSubscriber(MasterClient client, bool recordLatency, Action<string, Dictionary<string, object?>, long>? onEvent)
    {
        _client = client;
        _latenciesMs = recordLatency ? [] : null;
        _onEvent = onEvent;
    }

    public long Received => Interlocked.Read(ref _received);

    /// <summary><see cref="Stopwatch.GetTimestamp"/> of the last event received (0 before the first).</summary>
    public long LastTimestamp => Interlocked.Read(ref _lastTimestamp);

    /// <summary>Delivery latencies (ms), when recorded; read only after <see cref="DisposeAsync"/>.</summary>
    public IReadOnlyList<double> LatenciesMs => _latenciesMs ?? [];

    public Exception? Error { get; private set; }

    /// <summary>
    /// Connects and returns once the master says the subscription is live. <paramref name="onEvent"/>, when given, is called
    /// on the reading thread with each event's tag, data and <see cref="Stopwatch.GetTimestamp"/> on arrival.
    /// </summary>
    public static async Task<EventSubscriber> StartAsync(
        string socketPath, string tagmatch, bool recordLatency, CancellationToken cancellationToken,
        Action<string, Dictionary<string, object?>, long>? onEvent = null)
    {
        var client = await MasterClient.ConnectAsync(socketPath, cancellationToken).ConfigureAwait(false);
        var subscriber = new EventSubscriber(client, recordLatency, onEvent);
        subscriber._reader = Task.Run(() => subscriber.ReadAsync(tagmatch), CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await subscriber._subscribed.Task.WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch
        {
            await subscriber.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return subscriber;
    }

    private async Task ReadAsync(string tagmatch)
    {
        try
        {
            await foreach (var message in _client.StreamAsync("events", new(StringComparer.Ordinal) { ["tagmatch"] = tagmatch }, _stop.Token)
                .ConfigureAwait(false))
            {
                switch (message.GetValueOrDefault("type"))
                {
                    case "subscribed":
                        _subscribed.TrySetResult();
                        break;
                    case "event":
                        Record(message);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by the benchmark.
        }
        catch (Exception e) when (e is IOException or MasterUnavailableException or MasterRequestException)
        {
            Error = e;
        }
        finally
        {
            _subscribed.TrySetException(new IOException("the event stream ended before the master confirmed the subscription"));
        }
    }

    private void Record(Dictionary<string, object?> message)
    {
        var now = Stopwatch.GetTimestamp();
        var data = message.GetValueOrDefault("data") as Dictionary<string, object?>;
        if (_latenciesMs is not null
            && data?.GetValueOrDefault("data") is Dictionary<string, object?> user
            && user.GetValueOrDefault("sent_us") is long sent)
        {
            _latenciesMs.Add((EventFirer.UnixMicros() - sent) / 1000.0);
        }
        _onEvent?.Invoke(message.GetValueOrDefault("tag") as string ?? "", data ?? new(StringComparer.Ordinal), now);
        Interlocked.Exchange(ref _lastTimestamp, now);
        Interlocked.Increment(ref _received);
    }

    public async ValueTask DisposeAsync()
    {
        // Cancel the read first and let it end, then close the connection (the master then drops the subscription).
        await _stop.CancelAsync().ConfigureAwait(false);
        await _reader.ConfigureAwait(false);
        await _client.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}

using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;
using Orchestrator.Shared.Ipc;

namespace Orchestrator.Bench.Healing;

/// <summary>An event seen on the master's bus, stamped with this process's clock when it arrived.</summary>
public sealed record BusEvent(string Tag, Dictionary<string, object?> Data, long ArrivedTicks);

/// <summary>The master's event stream (<c>orch run state.event</c>'s source), collected from the moment it is subscribed.</summary>
public sealed class BusWatch : IAsyncDisposable
{
    private readonly MasterClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<BusEvent> _events = Channel.CreateUnbounded<BusEvent>();
    private Task _reader = Task.CompletedTask;

    private BusWatch(MasterClient client) => _client = client;

    public static async Task<BusWatch> StartAsync(string socket, string tagmatch, CancellationToken cancellationToken)
    {
        var watch = new BusWatch(await MasterClient.ConnectAsync(socket, cancellationToken).ConfigureAwait(false));
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        watch._reader = Task.Run(() => watch.ReadAsync(tagmatch, subscribed), CancellationToken.None);
        await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        return watch;
    }

    private async Task ReadAsync(string tagmatch, TaskCompletionSource subscribed)
    {
        try
        {
            await foreach (var message in _client.StreamAsync("events", new() { ["tagmatch"] = tagmatch }, _stop.Token).ConfigureAwait(false))
            {
                switch (message.GetValueOrDefault("type"))
                {
                    case "subscribed":
                        subscribed.TrySetResult();
                        break;
                    case "event" when message.GetValueOrDefault("data") is Dictionary<string, object?> data:
                        _events.Writer.TryWrite(new BusEvent((string)message["tag"]!, data, Stopwatch.GetTimestamp()));
                        break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Disposed, or the master went away: waits time out below.
        }
        finally
        {
            subscribed.TrySetException(new InvalidOperationException("the master's event stream ended before it was subscribed"));
            _events.Writer.TryComplete();
        }
    }

    /// <summary>The next event that matches, skipping others; throws <see cref="TimeoutException"/> naming the phase.</summary>
    public async Task<BusEvent> WaitAsync(Func<BusEvent, bool> match, string phase, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (await _events.Reader.WaitToReadAsync(deadline.Token).ConfigureAwait(false))
            {
                while (_events.Reader.TryRead(out var e))
                {
                    if (match(e))
                    {
                        return e;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Timed out, below.
        }
        throw new TimeoutException($"timed out after {timeout.TotalSeconds:F0}s waiting for {phase}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _client.DisposeAsync().ConfigureAwait(false);
        await _reader.ConfigureAwait(false);
        _stop.Dispose();
    }
}

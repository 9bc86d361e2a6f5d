using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Orchestrator.Shared.Ipc;

/// <summary>The typed client the CLI uses to talk to a local master over its unix socket.</summary>
public sealed class MasterClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private MasterClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>Connects to the master's socket; throws <see cref="MasterUnavailableException"/> when no master listens there.</summary>
    public static async Task<MasterClient> ConnectAsync(string socketPath, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new MasterUnavailableException(
                $"cannot reach the master at {socketPath}: {e.Message} (is orch-master running, and may this user open its socket?)", e);
        }
        return new MasterClient(socket);
    }

    /// <summary>Sends a request and reads one response; a response with <c>error</c> becomes a <see cref="MasterRequestException"/>.</summary>
    public async Task<Dictionary<string, object?>> CallAsync(string op, Dictionary<string, object?> args, CancellationToken cancellationToken)
    {
        await SendAsync(op, args, cancellationToken).ConfigureAwait(false);
        return await ReceiveAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new MasterUnavailableException("the master closed the connection");
    }

    /// <summary>Sends a request whose answer is a stream of messages, ending with one whose <c>type</c> is <c>end</c>.</summary>
    public async IAsyncEnumerable<Dictionary<string, object?>> StreamAsync(
        string op, Dictionary<string, object?> args, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await SendAsync(op, args, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            // A stream ends with its "end" message (or when the caller stops reading): the connection closing first means
            // the master went away, which must never read as a normal end.
            var message = await ReceiveAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new MasterUnavailableException("lost the master: it closed the connection before answering (did it stop?)");
            yield return message;
            if (message.TryGetValue("type", out var type) && type is "end")
            {
                yield break;
            }
        }
    }

    private async Task SendAsync(string op, Dictionary<string, object?> args, CancellationToken cancellationToken)
    {
        var request = new Dictionary<string, object?>(args, StringComparer.Ordinal) { ["op"] = op };
        try
        {
            await IpcFraming.WriteAsync(_stream, request, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new MasterUnavailableException($"lost the master while sending the request: {e.Message}", e);
        }
    }

    private async Task<Dictionary<string, object?>?> ReceiveAsync(CancellationToken cancellationToken)
    {
        Dictionary<string, object?>? message;
        try
        {
            message = await IpcFraming.ReadAsync(_stream, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new MasterUnavailableException($"lost the master while waiting for its answer: {e.Message}", e);
        }
        if (message is not null && message.TryGetValue("error", out var error) && error is string text)
        {
            throw new MasterRequestException(text);
        }
        return message;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
    }
}

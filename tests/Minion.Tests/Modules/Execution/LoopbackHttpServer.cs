using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Orchestrator.Minion.Tests.Modules.Execution;

/// <summary>
/// A tiny HTTP/1.0 server on 127.0.0.1 (an OS-chosen port) serving fixed bodies by path, 404 otherwise; it records the
/// paths asked for, so a test can tell whether a download happened.
/// </summary>
internal sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Dictionary<string, string> _bodies;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackHttpServer(Dictionary<string, string> bodies)
    {
        _bodies = bodies;
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string BaseUrl => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public List<string> Requests { get; } = [];

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                await AnswerAsync(client);
            }
            catch (IOException)
            {
                // A client that hung up early; the next one is served.
            }
            finally
            {
                client.Dispose();
            }
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        await using var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.ASCII);
        var requestLine = await reader.ReadLineAsync() ?? "";
        while (!string.IsNullOrEmpty(await reader.ReadLineAsync()))
        {
            // Headers are not needed.
        }
        var path = requestLine.Split(' ').ElementAtOrDefault(1) ?? "/";
        lock (Requests)
        {
            Requests.Add(path);
        }
        var found = _bodies.TryGetValue(path, out var body);
        var bytes = Encoding.UTF8.GetBytes(found ? body! : "nothing here");
        var head = found ? "HTTP/1.0 200 OK" : "HTTP/1.0 404 Not Found";
        var header = Encoding.ASCII.GetBytes(
            $"{head}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(header);
        await stream.WriteAsync(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Orchestrator.Bench.Events;
using Orchestrator.Bench.Runner;
using Orchestrator.Shared.Data;

namespace Orchestrator.Bench.Api;

/// <summary>
/// <c>orch-bench api</c>: what the REST API costs and carries, against a real master and real minions: POST / with a
/// <c>local</c> <c>test.ping</c> to every minion at each concurrency (requests/s, median and p95 latency), and one job's
/// events fanned out to N websocket clients (from the POST until every client has every minion's return event).
/// </summary>
public static class ApiBenchmark
{
    private const string User = "bench";
    private const string Password = "bench-api-password";

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (SubcommandOptions.Parse(args, "orch-bench api", ApiBenchOptions.Usage, ApiBenchOptions.Parse, out var exit) is not { } options)
        {
            return exit;
        }
        void Log(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
        try
        {
            return await MeasureAsync(options, Log, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or HttpRequestException or WebSocketException)
        {
            Console.Error.WriteLine($"orch-bench api: {e.Message} (logs in {options.WorkDirectory})");
            return 1;
        }
        finally
        {
            if (Directory.Exists(options.WorkDirectory))
            {
                Directory.Delete(options.WorkDirectory, true);
            }
        }
    }

    private static async Task<int> MeasureAsync(ApiBenchOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        var root = options.WorkDirectory;
        var bin = await Binaries.ResolveAsync(new BenchOptions { BinDirectory = options.BinDirectory, WorkDirectory = root }, log, cancellationToken)
            .ConfigureAwait(false);
        Directory.CreateDirectory(root);
        var users = Path.Combine(root, "api-users");
        await File.WriteAllTextAsync(users, $"{User}:{Password}\n", cancellationToken).ConfigureAwait(false);
        var port = MasterProcess.FreePort();
        await using var master = await MasterProcess.StartAsync(bin, Path.Combine(root, "master"), new BenchOptions(), cancellationToken, $"""
            rest_api:
              host: 127.0.0.1
              port: {port}
              disable_ssl: true
              login_rate_limit: 0
            external_auth:
              file:
                ^filename: {users}
                {User}:
                  - 'test.*'
            """).ConfigureAwait(false);
        var minions = new List<RealMinion>();
        try
        {
            for (var m = 1; m <= options.Minions; m++)
            {
                minions.Add(await RealMinion.StartAsync(bin, master, Path.Combine(root, $"bench{m}"), $"bench{m}", cancellationToken).ConfigureAwait(false));
            }
            var address = new Uri($"http://127.0.0.1:{port}");
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, UseCookies = false }) { BaseAddress = address };
            var token = await LoginAsync(http, cancellationToken).ConfigureAwait(false);
            log($"master (rest_api on {address}) and {options.Minions} minion(s) up");
            // Warm up (JIT, connection pool) before timing.
            for (var i = 0; i < 20; i++)
            {
                await PingAsync(http, token, options.Minions, cancellationToken).ConfigureAwait(false);
            }
            var rows = new List<string>();
            foreach (var clients in options.Concurrency)
            {
                var before = rows.Count;
                if (clients == 1)
                {
                    rows.AddRange(await PairedAsync(http, token, master, options, cancellationToken).ConfigureAwait(false));
                }
                else
                {
                    rows.Add(await ThroughputAsync(http, token, options, clients, cancellationToken).ConfigureAwait(false));
                }
                rows.Skip(before).ToList().ForEach(log);
            }
            var fanout = await FanoutAsync(http, address, token, options, log, cancellationToken).ConfigureAwait(false);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"orch-bench api: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {options.Minions} minions, plain HTTP on loopback, file eauth"));
            Console.WriteLine($"POST / local test.ping to {options.Minions} minions, {options.Seconds:0.#} s per row");
            Console.WriteLine("clients   requests   req/s   median ms   p95 ms   errors");
            rows.ForEach(Console.WriteLine);
            Console.WriteLine();
            Console.WriteLine(fanout);
            return 0;
        }
        finally
        {
            foreach (var minion in minions)
            {
                await minion.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<string> LoginAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync("/login", Json(new Dictionary<string, object?>
        {
            ["username"] = User,
            ["password"] = Password,
            ["eauth"] = "file",
        }), cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /login answered {(int)response.StatusCode}: {body}");
        }
        var ticket = (Dictionary<string, object?>)((List<object?>)((Dictionary<string, object?>)DataTree.FromJson(body)!)["return"]!)[0]!;
        return (string)ticket["token"]!;
    }

    private static StringContent Json(object? value) => new(DataTree.ToJson(value, indent: false), Encoding.UTF8, "application/json");

    /// <summary>One POST / local test.ping to every bench minion; throws unless every minion returned.</summary>
    private static async Task PingAsync(HttpClient http, string token, int minions, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = Json(new List<object?> { new Dictionary<string, object?> { ["client"] = "local", ["tgt"] = "bench*", ["fun"] = "test.ping" } }),
        };
        request.Headers.Add("X-Auth-Token", token);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST / answered {(int)response.StatusCode}: {body}");
        }
        var returns = (Dictionary<string, object?>)((List<object?>)((Dictionary<string, object?>)DataTree.FromJson(body)!)["return"]!)[0]!;
        if (returns.Count != minions)
        {
            throw new InvalidOperationException($"test.ping: {returns.Count} of {minions} minions returned");
        }
    }

    private static async Task<string> ThroughputAsync(HttpClient http, string token, ApiBenchOptions options, int clients, CancellationToken cancellationToken)
    {
        var latencies = new List<double>[clients];
        var errors = 0;
        var clock = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(options.Seconds);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = [];
            while (clock.Elapsed < until)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await PingAsync(http, token, options.Minions, cancellationToken).ConfigureAwait(false);
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                catch (InvalidOperationException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }, cancellationToken))).ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"{clients,7}   {all.Count,8}   {all.Count / elapsed,5:F0}   {Percentile(all, 0.5),9:F1}   {Percentile(all, 0.95),6:F1}   {errors,6}");
    }

    /// <summary>
    /// One client, one request at a time, alternating POST / with the same job straight through the master's IPC socket
    /// (what orch uses), so both see the same machine load: the IPC row is the floor under the API's.
    /// </summary>
    private static async Task<List<string>> PairedAsync(
        HttpClient http, string token, MasterProcess master, ApiBenchOptions options, CancellationToken cancellationToken)
    {
        await using var client = await master.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var api = new List<double>();
        var ipc = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(options.Seconds))
        {
            var start = Stopwatch.GetTimestamp();
            await PingAsync(http, token, options.Minions, cancellationToken).ConfigureAwait(false);
            api.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            start = Stopwatch.GetTimestamp();
            await IpcPing.RunAsync(client, options.Minions, cancellationToken).ConfigureAwait(false);
            ipc.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        string Row(string name, List<double> latencies)
        {
            latencies.Sort();
            return string.Create(CultureInfo.InvariantCulture,
                $"{name,7}   {latencies.Count,8}   {latencies.Count / (latencies.Sum() / 1000),5:F0}   {Percentile(latencies, 0.5),9:F1}   {Percentile(latencies, 0.95),6:F1}        0");
        }
        return [Row("1", api), Row("1 ipc", ipc) + "   (the same job through the master's socket, alternating with the row above)"];
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>N websockets in the ready state; each job's time from its POST until every socket has every minion's return.</summary>
    private static async Task<string> FanoutAsync(
        HttpClient http, Uri address, string token, ApiBenchOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        var sockets = new List<ClientWebSocket>();
        try
        {
            var wsUri = new Uri($"ws://{address.Authority}/ws/{token}");
            for (var i = 0; i < options.WebSockets; i++)
            {
                var socket = new ClientWebSocket();
                await socket.ConnectAsync(wsUri, cancellationToken).ConfigureAwait(false);
                await socket.SendAsync(Encoding.UTF8.GetBytes("websocket client ready"), WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
                var answer = await ReceiveAsync(socket, cancellationToken).ConfigureAwait(false);
                if (answer != "server received message")
                {
                    throw new InvalidOperationException($"websocket {i}: unexpected first message '{answer}'");
                }
                sockets.Add(socket);
            }
            log($"{sockets.Count} websockets subscribed");
            var all = new List<double>();
            var first = new List<double>();
            for (var r = 0; r < options.Repeats; r++)
            {
                var (allMs, firstMs) = await OneFanoutAsync(http, token, sockets, options.Minions, cancellationToken).ConfigureAwait(false);
                all.Add(allMs);
                first.Add(firstMs);
            }
            return string.Create(CultureInfo.InvariantCulture,
                $"one local_async test.ping to {options.Minions} minions, its events fanned out to {sockets.Count} websocket clients " +
                $"({options.Repeats} jobs): every client has all {options.Minions} returns after {Median(all):F1} ms median " +
                $"({all.Min():F1}-{all.Max():F1}); the first client after {Median(first):F1} ms");
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Abort();
                socket.Dispose();
            }
        }
    }

    private static async Task<(double All, double First)> OneFanoutAsync(
        HttpClient http, string token, List<ClientWebSocket> sockets, int minions, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var jid = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = new double[sockets.Count];
        var readers = sockets.Select((socket, i) => Task.Run(async () =>
        {
            // What arrives before the jid is known waits in the socket's buffers, so nothing is missed by waiting here.
            var prefix = $"\"tag\": \"salt/job/{await jid.Task.ConfigureAwait(false)}/ret/";
            var returned = 0;
            while (returned < minions)
            {
                var message = await ReceiveAsync(socket, cancellationToken).ConfigureAwait(false);
                if (message.Contains(prefix, StringComparison.Ordinal))
                {
                    returned++;
                }
            }
            done[i] = clock.Elapsed.TotalMilliseconds;
        }, cancellationToken)).ToList();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = Json(new List<object?> { new Dictionary<string, object?> { ["client"] = "local_async", ["tgt"] = "bench*", ["fun"] = "test.ping" } }),
        })
        {
            request.Headers.Add("X-Auth-Token", token);
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var started = (Dictionary<string, object?>)((List<object?>)((Dictionary<string, object?>)DataTree.FromJson(body)!)["return"]!)[0]!;
            jid.SetResult((string)started["jid"]!);
        }
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        return (done.Max(), done.Min());
    }

    private static async Task<string> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("the API closed a websocket");
            }
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return Encoding.UTF8.GetString(message.ToArray());
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}

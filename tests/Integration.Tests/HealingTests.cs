using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Threading.Channels;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Ipc;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: auto-healing end to end, with the real executables and a real nginx. An orch-master process whose reactor
/// maps the service beacon's tag to the repository's reactor/heal-nginx.sls, and an orch-minion process with the web role,
/// serve the repository's state and pillar trees (copied, with a free port and a temp demo root). state.apply nginx brings
/// the minion's nginx instance up (the second run changes nothing); its master process is killed with SIGKILL; the
/// minion's service beacon (from pillar) reports it down, the reactor restarts it there, and the page answers from a new
/// nginx master without anyone typing. The reactor's service.restart job is in the job cache.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class HealingTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private readonly List<Process> _daemons = [];
    // The pillar gives a web minion the port base + the last digit of its id: ending in 1, this one takes web1's slot.
    private readonly string _id = $"heal{Guid.NewGuid().ToString("N")[..8]}-web1";

    private string Service => $"orch-nginx-{_id}";

    private string InitScript => $"/etc/init.d/{Service}";

    private string PidFile => _dir.Combine("demo", _id, "nginx", "run", "nginx.pid");

    private string MasterDir => _dir.Combine("master");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // The nginx instance outlives the daemons: stop it by its init script, then whatever is left of its process group.
        if (File.Exists(InitScript))
        {
            await RunAsync(InitScript, "stop");
            File.Delete(InitScript);
        }
        if (ReadPid() is { } pid)
        {
            await RunAsync("pkill", "-KILL", "-g", pid.ToString(CultureInfo.InvariantCulture), "-x", "nginx");
        }
        foreach (var daemon in _daemons)
        {
            if (!daemon.HasExited)
            {
                await RunAsync("kill", "-TERM", daemon.Id.ToString(CultureInfo.InvariantCulture));
                if (!daemon.WaitForExit(TimeSpan.FromSeconds(20)))
                {
                    daemon.Kill();
                }
            }
            daemon.Dispose();
        }
        _dir.Dispose();
    }

    [NginxFact]
    public async Task KilledNginx_IsRestartedByTheReactor_WhenTheServiceBeaconReportsItDown()
    {
        var port = Executables.FreePort();
        await StartDaemonsAsync(port);
        await using var beacon = await EventWatch.StartAsync(Path.Combine(MasterDir, "sock", "master.ipc"), $"salt/beacon/{_id}/service/*");

        var first = await ApplyAsync();
        var second = await ApplyAsync();

        Assert.All(first.Values, s => Assert.Equal(true, s["result"]));
        Assert.Contains(first.Values, s => s["__id__"] as string == "nginx-service" && ((Dictionary<string, object?>)s["changes"]!).Count > 0);
        Assert.All(second.Values, s => Assert.Empty((Dictionary<string, object?>)s["changes"]!));
        Assert.Contains($"<h1>{_id} (nginx)</h1>", await PageAsync(port));

        // The beacon reports changes only: it must have seen the instance up, or the kill would be no change to it.
        await Diagnosed(() => beacon.WaitAsync(e => Running(e) == true, "the service beacon reporting nginx up"));
        var killed = ReadPid()!.Value;
        var workers = await GroupAsync(killed);
        Assert.NotEmpty(workers);
        Assert.Equal(0, await RunAsync("kill", "-KILL", killed.ToString(CultureInfo.InvariantCulture)));

        var down = await Diagnosed(() => beacon.WaitAsync(e => Running(e) == false, "the service beacon reporting nginx down"));
        await Diagnosed(() => Poll.UntilAsync(
            async () => ReadPid() is { } pid && pid != killed && (await PageAsync(port))?.Contains(_id, StringComparison.Ordinal) == true,
            "the page answering from a new nginx master", TimeSpan.FromSeconds(60)));

        Assert.Equal(_id, down.Data["id"]);
        Assert.Equal(Service, down.Data["service_name"]);
        // The restart also ended the workers the killed master had left serving.
        Assert.All(workers, w => Assert.False(IsAlive(w), $"worker {w} of the killed master is still alive"));
        var jobs = (Dictionary<string, object?>)(await CliJsonAsync("run", "jobs.list_jobs", "search_function=service.restart", $"search_target={_id}"))!;
        var (jid, job) = Assert.Single(jobs);
        Assert.Equal(_id, ((Dictionary<string, object?>)job!)["Target"]);
        await Diagnosed(() => Poll.UntilAsync(
            async () => await CliJsonAsync("run", "jobs.lookup_jid", jid) is Dictionary<string, object?> returns && returns.GetValueOrDefault(_id) is true,
            "the reactor's service.restart return in the job cache"));
    }

    private static bool? Running(BusEvent e) =>
        e.Data.GetValueOrDefault("service_name") is string name && e.Data.GetValueOrDefault(name) is Dictionary<string, object?> status
            ? status.GetValueOrDefault("running") as bool?
            : null;

    private async Task StartDaemonsAsync(int nginxPort)
    {
        // www-data (nginx's workers) must reach the docroot inside the temp dir.
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0b111_101_101);
        var states = RepoPaths.CopyTree("states", _dir.Combine("trees", "states"));
        var pillars = RepoPaths.CopyTree("pillars", _dir.Combine("trees", "pillars"));
        var reactor = RepoPaths.CopyTree("reactor", _dir.Combine("trees", "reactor"));
        Rewrite(Path.Combine(pillars, "web.sls"), "{%- set nginx_port_base = 8180 %}", $"{{%- set nginx_port_base = {nginxPort - 1} %}}");
        Rewrite(Path.Combine(pillars, "common.sls"), "demo_root: /tmp/orch-demo", $"demo_root: {_dir.Combine("demo")}");

        var (pub, ret) = (Executables.FreePort(), Executables.FreePort());
        WriteConfig(MasterDir, "master", $"""
            interface: 127.0.0.1
            publish_port: {pub}
            ret_port: {ret}
            pki_dir: {_dir.Combine("m", "pki")}
            cachedir: {_dir.Combine("m", "cache")}
            sock_dir: {_dir.Combine("master", "sock")}
            auto_accept: true
            log_file: {_dir.Combine("m", "master.log")}
            log_level: quiet
            log_level_logfile: debug
            file_roots:
              base:
                - {states}
            pillar_roots:
              base:
                - {pillars}
            reactor:
              - 'salt/beacon/*/service/orch-nginx-*':
                - {Path.Combine(reactor, "heal-nginx.sls")}
            """);
        var minionDir = _dir.Combine("minion");
        WriteConfig(minionDir, "minion", $"""
            id: {_id}
            master: 127.0.0.1
            master_port: {ret}
            publish_port: {pub}
            pki_dir: {_dir.Combine("n", "pki")}
            cachedir: {_dir.Combine("n", "cache")}
            log_file: {_dir.Combine("n", "minion.log")}
            log_level: quiet
            log_level_logfile: debug
            acceptance_wait_time: 1
            heartbeat_interval: 1
            grains:
              roles:
                - web
            """);
        _daemons.Add(Start("orch-master", "-c", MasterDir));
        await Poll.UntilAsync(() => File.Exists(Path.Combine(MasterDir, "sock", "master.ipc")), "the master's socket");
        _daemons.Add(Start("orch-minion", "-c", minionDir));
        await Diagnosed(() => Poll.UntilAsync(async () => (await CliAsync(_id, "test.ping")).ExitCode == 0, "the minion answering test.ping"));
    }

    private async Task<Dictionary<string, Dictionary<string, object?>>> ApplyAsync()
    {
        var result = await CliAsync("--out", "json", "--static", "-t", "120", _id, "state.apply", "nginx");
        Assert.True(result.ExitCode == 0, result + Logs());
        var states = (Dictionary<string, object?>)((Dictionary<string, object?>)DataTree.FromJson(result.Stdout)!)[_id]!;
        return states.ToDictionary(p => p.Key, p => (Dictionary<string, object?>)p.Value!, StringComparer.Ordinal);
    }

    private async Task<CliResult> CliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Cli.CliApp.RunAsync(["-c", MasterDir, .. args], stdout, stderr, CancellationToken.None);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    private async Task<object?> CliJsonAsync(string verb, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Cli.CliApp.RunAsync([verb, "-c", MasterDir, "--out", "json", .. args], stdout, stderr, CancellationToken.None);
        Assert.True(exit == 0, $"orch {verb} {string.Join(' ', args)}: exit {exit}\n{stdout}{stderr}");
        return DataTree.FromJson(stdout.ToString());
    }

    /// <summary>Runs a wait; when it times out, the message carries the daemons' logs.</summary>
    private async Task<T> Diagnosed<T>(Func<Task<T>> wait)
    {
        try
        {
            return await wait();
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + Logs(), e);
        }
    }

    private Task Diagnosed(Func<Task> wait) => Diagnosed(async () =>
    {
        await wait();
        return true;
    });

    private string Logs()
    {
        static string Tail(string path) => File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(40)) : "(none)";
        return $"\n--- master.log\n{Tail(_dir.Combine("m", "master.log"))}\n--- minion.log\n{Tail(_dir.Combine("n", "minion.log"))}";
    }

    private int? ReadPid() =>
        File.Exists(PidFile) && int.TryParse(File.ReadAllText(PidFile).Trim(), CultureInfo.InvariantCulture, out var pid) ? pid : null;

    private static async Task<string?> PageAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            return await http.GetStringAsync($"http://127.0.0.1:{port}/");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>The live processes of a process group (nginx's master and its workers share the master's).</summary>
    private static async Task<List<int>> GroupAsync(int pgid)
    {
        var start = new ProcessStartInfo("pgrep", ["-g", pgid.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardOutput = true };
        using var pgrep = Process.Start(start)!;
        var output = await pgrep.StandardOutput.ReadToEndAsync();
        await pgrep.WaitForExitAsync();
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).Where(p => p != pgid)];
    }

    /// <summary>Alive and not a zombie: a killed process lingers as one until init reaps it.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void Rewrite(string file, string from, string to)
    {
        var text = File.ReadAllText(file);
        Assert.True(text.Contains(from, StringComparison.Ordinal), $"{file} no longer has '{from}': update this test");
        File.WriteAllText(file, text.Replace(from, to, StringComparison.Ordinal));
    }

    private static void WriteConfig(string dir, string file, string yaml)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, file), yaml);
    }

    private static Process Start(string program, params string[] args) => Executables.Start(program, drain: true, args);

    private static async Task<int> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    private sealed record BusEvent(string Tag, Dictionary<string, object?> Data);

    /// <summary>Events from the master's IPC event stream, collected from the moment the master says it subscribed.</summary>
    private sealed class EventWatch : IAsyncDisposable
    {
        private readonly MasterClient _client;
        private readonly CancellationTokenSource _stop = new();
        private readonly Channel<BusEvent> _events = Channel.CreateUnbounded<BusEvent>();
        private Task _reader = Task.CompletedTask;

        private EventWatch(MasterClient client) => _client = client;

        public static async Task<EventWatch> StartAsync(string socket, string tagmatch)
        {
            var watch = new EventWatch(await MasterClient.ConnectAsync(socket, CancellationToken.None));
            var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            watch._reader = Task.Run(async () =>
            {
                try
                {
                    await foreach (var message in watch._client.StreamAsync("events", new() { ["tagmatch"] = tagmatch }, watch._stop.Token))
                    {
                        if (message.GetValueOrDefault("type") is "subscribed")
                        {
                            subscribed.TrySetResult();
                        }
                        else if (message.GetValueOrDefault("type") is "event")
                        {
                            watch._events.Writer.TryWrite(new BusEvent((string)message["tag"]!, (Dictionary<string, object?>)message["data"]!));
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    // Disposed.
                }
                finally
                {
                    subscribed.TrySetException(new InvalidOperationException("the event stream ended before it was subscribed"));
                    watch._events.Writer.TryComplete();
                }
            });
            await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return watch;
        }

        public async Task<BusEvent> WaitAsync(Func<BusEvent, bool> match, string phase)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                while (await _events.Reader.WaitToReadAsync(timeout.Token))
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
            catch (OperationCanceledException)
            {
                // Timed out, below.
            }
            throw new TimeoutException($"timed out waiting for {phase}");
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _client.DisposeAsync();
            try
            {
                await _reader;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
            {
                // The stream closed under the reader.
            }
            _stop.Dispose();
        }
    }
}

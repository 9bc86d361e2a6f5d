using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Ipc;

namespace Orchestrator.Bench.Runner;

/// <summary>A real <c>orch-master</c> process with its own config dir, on free loopback ports, driven over its IPC socket.</summary>
public sealed class MasterProcess : IAsyncDisposable
{
    private readonly Process _process;

    private readonly MasterProfiler? _profiler;

    private volatile bool _stopping;

    private MasterProcess(Process process, MasterProfiler? profiler, string root, int publishPort, int retPort)
    {
        _process = process;
        _profiler = profiler;
        Root = root;
        PublishPort = publishPort;
        RetPort = retPort;
    }

    public string Root { get; }

    public int PublishPort { get; }

    public int RetPort { get; }

    public TimeSpan Startup { get; private set; }

    public int Pid => _process.Id;

    public string SocketPath => Path.Combine(Root, "sock", "master.ipc");

    public string JobCachePath => Path.Combine(Root, "cache", "jobs.sqlite");

    public string Fingerprint => KeyFingerprint.Of(File.ReadAllText(Path.Combine(Root, "pki", "master.pub")));

    public ProcStats Stats() => ProcStats.Read(_process.Id);

    /// <summary>
    /// Starts a master, on <see cref="BenchOptions.MasterCpus"/> when set; <paramref name="extraConfig"/> (YAML) is appended
    /// to its config file; with <paramref name="profiled"/>, profiled into <see cref="BenchOptions.TraceMaster"/> or <see cref="BenchOptions.PerfMaster"/>.
    /// </summary>
    public static async Task<MasterProcess> StartAsync(
        string binDirectory, string root, BenchOptions options, CancellationToken cancellationToken, string extraConfig = "",
        bool profiled = false)
    {
        Directory.CreateDirectory(root);
        var publishPort = FreePort();
        var retPort = FreePort();
        // Salt's key names; auto_accept lets the swarm's fresh keys in, as a lab master would.
        await File.WriteAllTextAsync(Path.Combine(root, "master"), $"""
            interface: 127.0.0.1
            publish_port: {publishPort}
            ret_port: {retPort}
            pki_dir: {root}/pki
            cachedir: {root}/cache
            sock_dir: {root}/sock
            auto_accept: true
            log_level: error
            log_file: {root}/master.log
            log_level_logfile: warning
            timeout: 120
            worker_threads: {options.MasterWorkers}
            publish_retry_interval: {options.PublishRetryMs}
            publish_fanout: {options.PublishFanout}
            {extraConfig}
            """, cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var info = new ProcessStartInfo(Path.Combine(binDirectory, "orch-master"), ["-c", root])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var profiler = !profiled ? null
            : options.TraceMaster is { } traceFile ? MasterProfiler.DotnetTrace(traceFile, root)
            : options.PerfMaster is { } perfFile ? MasterProfiler.Perf(perfFile)
            : null;
        foreach (var (name, value) in options.MasterEnvironment.Concat(profiler?.Environment ?? new Dictionary<string, string>()))
        {
            info.Environment[name] = value;
        }
        var process = Process.Start(CpuPinning.On(info, options.MasterCpus)) ?? throw new InvalidOperationException("could not start orch-master");
        profiler?.Attach(process.Id);
        var master = new MasterProcess(process, profiler, root, publishPort, retPort);
        // Drain its console so a chatty master never blocks on a full pipe; show errors while it runs (not its shutdown).
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data) && !master._stopping)
            {
                Console.Error.WriteLine($"[orch-master] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"orch-master exited with {process.ExitCode} (see {root}/master.log)");
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("orch-master did not answer on its IPC socket within 60s");
            }
            try
            {
                await using var client = await MasterClient.ConnectAsync(master.SocketPath, cancellationToken).ConfigureAwait(false);
                await client.CallAsync("ping", [], cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (Exception e) when (e is MasterUnavailableException or IOException or SocketException)
            {
                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }
        }
        master.Startup = clock.Elapsed;
        return master;
    }

    public Task<MasterClient> ConnectAsync(CancellationToken cancellationToken) => MasterClient.ConnectAsync(SocketPath, cancellationToken);

    /// <summary>The master's transport counters (<c>orch run manage.stats</c>).</summary>
    public async Task<Dictionary<string, object?>> MetricsAsync(CancellationToken cancellationToken)
    {
        await using var client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var reply = await client.CallAsync("runner", new(StringComparer.Ordinal)
        {
            ["fun"] = "manage.stats",
            ["arg"] = new List<object?>(),
            ["kwarg"] = new Dictionary<string, object?>(StringComparer.Ordinal),
        }, cancellationToken).ConfigureAwait(false);
        return reply.GetValueOrDefault("return") as Dictionary<string, object?> ?? new(StringComparer.Ordinal);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        if (!_process.HasExited)
        {
            Native.Terminate(_process.Id);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
            }
        }
        _process.Dispose();
        if (_profiler is not null)
        {
            await _profiler.DisposeAsync().ConfigureAwait(false);
        }
    }
}

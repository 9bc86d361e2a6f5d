using System.Net.Sockets;
using Orchestrator.Bench.Runner;
using Orchestrator.Bench.Swarm;
using Orchestrator.Shared.Crypto;
using Orchestrator.Shared.Ipc;

namespace Orchestrator.Bench.Soak;

/// <summary>
/// The daemons under test: one orch-master and a few orch-minion processes, each with its own config, keys and cache dir
/// in the scratch dir, on ports chosen once (a restarted master listens where its minions look for it), plus optionally
/// swarm processes of simulated minions.
/// </summary>
public sealed class SoakCluster : IAsyncDisposable
{
    private readonly List<SwarmChild> _swarm = [];

    private SoakCluster(Daemon master, string masterRoot, IReadOnlyList<SoakNode> minions)
    {
        Master = master;
        MasterRoot = masterRoot;
        Minions = minions;
    }

    public Daemon Master { get; }

    public string MasterRoot { get; }

    public IReadOnlyList<SoakNode> Minions { get; }

    public IReadOnlyList<SwarmChild> Swarm => _swarm;

    public string SocketPath => Path.Combine(MasterRoot, "sock", "master.ipc");

    public string JobCachePath => Path.Combine(MasterRoot, "cache", "jobs.sqlite");

    public IEnumerable<Daemon> Daemons => Minions.Select(m => m.Daemon).Prepend(Master);

    /// <summary>Writes the configs and starts the master, then the minions; each must be up within its bound.</summary>
    public static async Task<SoakCluster> StartAsync(SoakOptions options, string bin, Action<string> log, CancellationToken cancellationToken)
    {
        var root = options.WorkDirectory;
        var (publishPort, retPort) = (MasterProcess.FreePort(), MasterProcess.FreePort());
        var masterRoot = Path.Combine(root, "master");
        Directory.CreateDirectory(masterRoot);
        // The master's defaults, except a longer CLI timeout and a log at info for the post-mortem of anything lost.
        await File.WriteAllTextAsync(Path.Combine(masterRoot, "master"), $"""
            interface: 127.0.0.1
            publish_port: {publishPort}
            ret_port: {retPort}
            pki_dir: {masterRoot}/pki
            cachedir: {masterRoot}/cache
            sock_dir: {masterRoot}/sock
            auto_accept: true
            timeout: {options.JobTimeoutSeconds}
            log_level: error
            log_file: {masterRoot}/master.log
            log_level_logfile: info

            """, cancellationToken).ConfigureAwait(false);
        var master = new Daemon("orch-master", Path.Combine(bin, "orch-master"), masterRoot, Path.Combine(masterRoot, "console.log"));
        var runs = Path.Combine(root, "runs");
        Directory.CreateDirectory(runs);
        var nodes = new List<SoakNode>();
        for (var i = 1; i <= options.Minions; i++)
        {
            var id = $"soak-m{i}";
            var dir = Path.Combine(root, id);
            Directory.CreateDirectory(dir);
            await File.WriteAllTextAsync(Path.Combine(dir, "minion"), $"""
                id: {id}
                master: 127.0.0.1
                master_port: {retPort}
                publish_port: {publishPort}
                pki_dir: {dir}/pki
                cachedir: {dir}/cache
                sock_dir: {dir}/sock
                heartbeat_interval: {options.HeartbeatSeconds}
                acceptance_wait_time: 1
                log_level: error
                log_file: {dir}/minion.log
                log_level_logfile: info

                """, cancellationToken).ConfigureAwait(false);
            var runsFile = Path.Combine(runs, $"{id}.runs");
            // cmd.run jobs append their token to $SOAK_RUNS: one line per time the minion ran the job.
            var daemon = new Daemon(id, Path.Combine(bin, "orch-minion"), dir, Path.Combine(dir, "console.log"),
                new Dictionary<string, string> { ["SOAK_RUNS"] = runsFile });
            nodes.Add(new SoakNode(id, daemon, dir, runsFile));
        }
        var cluster = new SoakCluster(master, masterRoot, nodes);
        try
        {
            master.Start();
            if (!await cluster.WaitMasterAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false))
            {
                throw new TimeoutException($"orch-master did not answer on its socket within 60s (see {masterRoot}/master.log)");
            }
            log($"orch-master up (pid {master.Pid}), publish port {publishPort}, ret port {retPort}");
            foreach (var node in nodes)
            {
                node.Daemon.Start();
            }
            if (options.Swarm > 0)
            {
                cluster.StartSwarm(options, retPort, publishPort, log);
            }
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return cluster;
    }

    private void StartSwarm(SoakOptions options, int retPort, int publishPort, Action<string> log)
    {
        var keys = KeyCache.Ensure(options.KeyDirectory, options.Swarm, log);
        if (keys.Generated > 0)
        {
            log($"generated {keys.Generated} swarm keys in {keys.Elapsed.TotalSeconds:F0}s");
        }
        var finger = KeyFingerprint.Of(File.ReadAllText(Path.Combine(MasterRoot, "pki", "master.pub")));
        var settings = new SwarmSettings("127.0.0.1", retPort, publishPort, finger, options.KeyDirectory, 0, 0, options.Swarm,
            Math.Min(2, options.Swarm), 32, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10),
            TimeSpan.FromSeconds(60));
        _swarm.Add(SwarmChild.Start(settings, new BenchOptions()));
    }

    /// <summary>Waits until the master answers a ping on its socket; false when it does not within <paramref name="limit"/>.</summary>
    public async Task<bool> WaitMasterAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (!Master.Running)
            {
                return false;
            }
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await using var client = await MasterClient.ConnectAsync(SocketPath, attempt.Token).ConfigureAwait(false);
                await client.CallAsync("ping", [], attempt.Token).ConfigureAwait(false);
                return true;
            }
            catch (Exception e) when (e is MasterUnavailableException or IOException or SocketException
                || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var child in _swarm)
        {
            await child.DisposeAsync().ConfigureAwait(false);
        }
        // Minions first, so none reconnects to a master that is going away; each is bounded (SIGTERM, then SIGKILL).
        foreach (var node in Minions)
        {
            await node.Daemon.DisposeAsync().ConfigureAwait(false);
        }
        await Master.DisposeAsync().ConfigureAwait(false);
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NetMQ;
using Orchestrator.Cli;
using Orchestrator.Master.Events;
using Orchestrator.Master.Hosting;
using Orchestrator.Master.Transport;
using Orchestrator.Minion.Hosting;
using Orchestrator.Minion.Transport;

namespace Orchestrator.Testing;

/// <summary>
/// A real master and real minions hosted in-process on 127.0.0.1 with OS-assigned ports, a temp dir per node and tight
/// timers. Waits on events (a minion's start event) rather than on time.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private TestCluster(TempDir root)
    {
        Root = root;
    }

    public TempDir Root { get; }

    public MasterOptions MasterOptions { get; private set; } = null!;

    public IHost Master { get; private set; } = null!;

    public Dictionary<string, TestMinion> Minions { get; } = new(StringComparer.Ordinal);

    public string ConfigDir => Root.Combine("master-config");

    public T MasterService<T>() where T : notnull => Master.Services.GetRequiredService<T>();

    /// <summary>Extra logging for the master (a test that asserts on the master's log lines adds its provider here).</summary>
    public Action<ILoggingBuilder>? MasterLogging { get; private set; }

    public static async Task<TestCluster> StartAsync(Action<MasterOptions>? configure = null, Action<ILoggingBuilder>? masterLogging = null)
    {
        var cluster = new TestCluster(new TempDir()) { MasterLogging = masterLogging };
        var options = new MasterOptions
        {
            Interface = "127.0.0.1",
            PublishPort = 0,
            RetPort = 0,
            PkiDir = cluster.Root.Combine("master", "pki"),
            CacheDir = cluster.Root.Combine("master", "cache"),
            SockDir = cluster.Root.Combine("master", "sock"),
            AutoAccept = true,
            Timeout = 10,
            PublishRetryInterval = TimeSpan.FromMilliseconds(200),
            PresenceTimeout = TimeSpan.FromSeconds(30),
            GatherJobTimeout = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(options);
        Directory.CreateDirectory(cluster.ConfigDir);
        // The CLI finds the master through the same config file an operator would give it.
        await File.WriteAllTextAsync(Path.Combine(cluster.ConfigDir, "master"), $"sock_dir: {options.SockDir}\ntimeout: {options.Timeout}\n");
        cluster.MasterOptions = options;
        await cluster.StartMasterAsync();
        return cluster;
    }

    private async Task StartMasterAsync()
    {
        Master = MasterHost.Build(MasterOptions, logging =>
        {
            Logging("master")(logging);
            MasterLogging?.Invoke(logging);
        });
        await Master.StartAsync();
        // Keep the ports for restarts, so minions reconnect to the same place.
        var transport = Master.Services.GetRequiredService<MasterTransport>();
        MasterOptions.PublishPort = transport.PublishPort;
        MasterOptions.RetPort = transport.RetPort;
    }

    /// <summary>Stops the master (SIGTERM-equivalent shutdown), then starts a new one on the same ports and data dirs.</summary>
    public async Task RestartMasterAsync(Func<Task>? whileDown = null)
    {
        await StopMasterAsync();
        if (whileDown is not null)
        {
            await whileDown();
        }
        await StartMasterAsync();
    }

    public async Task StopMasterAsync()
    {
        await Master.StopAsync();
        Master.Dispose();
    }

    public static Action<ILoggingBuilder> Logging(string node) => logging =>
    {
        if (Environment.GetEnvironmentVariable("ORCH_TEST_LOG") is "1")
        {
            logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Debug);
        }
    };

    /// <summary>Starts a minion and, unless told otherwise, waits until the master has its start event (authenticated, grains cached).</summary>
    public async Task<TestMinion> AddMinionAsync(
        string id, Dictionary<string, object?>? grains = null, Action<MinionOptions>? configure = null, bool waitForStart = true)
    {
        var options = new MinionOptions
        {
            Id = id,
            Master = "127.0.0.1",
            MasterPort = MasterOptions.RetPort,
            PublishPort = MasterOptions.PublishPort,
            PkiDir = Root.Combine(id, "pki"),
            CacheDir = Root.Combine(id, "cache"),
            SockDir = Root.Combine(id, "sock"),
            Grains = grains ?? new(StringComparer.Ordinal),
            AuthTimeout = TimeSpan.FromSeconds(2),
            ReturnRetryTimer = TimeSpan.FromSeconds(2),
            ReturnRetryTimerMax = TimeSpan.FromSeconds(2),
            AcceptanceWaitTime = TimeSpan.FromMilliseconds(300),
            ReconnectDefault = TimeSpan.FromMilliseconds(100),
            ReconnectMax = TimeSpan.FromMilliseconds(500),
            HeartbeatInterval = TimeSpan.FromMilliseconds(500),
            // Under the cluster's 200 ms publish_retry_interval, as the 200 ms default is under the master's 1 s default.
            AckDelay = TimeSpan.FromMilliseconds(50),
        };
        options.Raw["id"] = id;
        configure?.Invoke(options);
        var minion = new TestMinion(options);
        Minions[id] = minion;
        using var started = MasterService<EventBus>().Subscribe(tag => tag == EventTag.MinionStart(id));
        await minion.StartAsync();
        if (waitForStart)
        {
            await WaitForEventAsync(started, $"start of minion {id}");
        }
        return minion;
    }

    /// <summary>Waits for the next event on a subscription; the timeout message names the phase.</summary>
    public static async Task<MasterEvent> WaitForEventAsync(EventSubscription subscription, string phase, TimeSpan? timeout = null)
    {
        try
        {
            return await subscription.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? StartTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"timed out waiting for {phase}");
        }
    }

    /// <summary>Runs the real CLI in-process against this cluster's master.</summary>
    public async Task<CliResult> CliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["-c", ConfigDir, .. args], stdout, stderr, CancellationToken.None);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs a CLI verb (<c>key</c>, <c>run</c>) with the cluster's config dir after the verb.</summary>
    public async Task<CliResult> CliVerbAsync(string verb, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CliApp.RunAsync([verb, "-c", ConfigDir, .. args], stdout, stderr, CancellationToken.None);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var minion in Minions.Values)
        {
            await minion.DisposeAsync();
        }
        try
        {
            await Master.StopAsync();
            Master.Dispose();
        }
        catch (ObjectDisposedException)
        {
            // Already stopped by the test.
        }
        Root.Dispose();
    }
}

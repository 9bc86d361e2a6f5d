using Orchestrator.Shared.Config;
using Orchestrator.Shared.Security;

namespace Orchestrator.Minion.Hosting;

/// <summary>The minion's configuration, read from <c>DIR/minion</c> with Salt's key names.</summary>
public sealed class MinionOptions
{
    public static readonly IReadOnlyList<ConfigKey> Keys =
    [
        new("id", ConfigKind.String, null, "Minion id (default: the host name)."),
        new("master", ConfigKind.String, "salt", "Master host name or address."),
        new("master_port", ConfigKind.Port, 4606L, "The master's request port (ret_port on the master)."),
        new("publish_port", ConfigKind.Port, 4605L, "The master's publish port."),
        new("master_finger", ConfigKind.String, "", "Expected fingerprint of the master's public key (else pinned on first contact)."),
        new("pki_dir", ConfigKind.String, "/etc/orchestrator/pki/minion", "The minion's key pair and the pinned master key."),
        new("cachedir", ConfigKind.String, "/var/cache/orchestrator/minion", "Outbox, file cache, persisted grains."),
        new("sock_dir", ConfigKind.String, "/var/run/orchestrator/minion", "Local sockets."),
        new("log_level", ConfigKind.LogLevel, "info", "Console log level."),
        new("log_file", ConfigKind.String, "", "Log file (empty: none)."),
        new("log_level_logfile", ConfigKind.LogLevel, "info", "Log file level."),
        new("grains", ConfigKind.Map, new Dictionary<string, object?>(), "Static grains."),
        new("enable_fqdns_grains", ConfigKind.Bool, true, "Reverse-resolve the host's addresses for the fqdns grain (False: an empty list)."),
        new("enable_lspci", ConfigKind.Bool, true, "Let the virtual and gpus grains run lspci."),
        new("enable_gpu_grains", ConfigKind.Bool, true, "Detect GPUs with lspci for the gpus and num_gpus grains."),
        new("timeout", ConfigKind.Int, 60L, "Seconds a request to the master may take."),
        new("auth_timeout", ConfigKind.Int, 5L, "Seconds to wait for each auth reply."),
        new("acceptance_wait_time", ConfigKind.Int, 10L, "Seconds between auth attempts while the key is pending."),
        new("recon_default", ConfigKind.Int, 1000L, "Milliseconds before the first reconnect."),
        new("recon_max", ConfigKind.Int, 10000L, "Longest reconnect wait in milliseconds."),
        new("recon_randomize", ConfigKind.Bool, true, "Add random jitter to reconnect waits."),
        new("heartbeat_interval", ConfigKind.Int, 10L, "Seconds between heartbeats."),
        new("return_retry_timer", ConfigKind.Int, 5L, "Least seconds to wait for the master to acknowledge a return before keeping it for a later retry."),
        new("return_retry_timer_max", ConfigKind.Int, 10L, "Most seconds to wait for that acknowledgement; each return waits a random time in between."),
        new("replay_window", ConfigKind.Int, 60L, "Seconds of clock skew accepted on publishes and replies."),
        new("max_message_size", ConfigKind.Int, 16L * 1024 * 1024, "Largest accepted frame in bytes."),
        new("worker_threads", ConfigKind.Int, 8L, "Jobs run at once."),
        new("file_roots", ConfigKind.Map, new Dictionary<string, object?>(), "Local file roots for orch call --local."),
        new("pillar_roots", ConfigKind.Map, new Dictionary<string, object?>(), "Local pillar roots for orch call --local."),
        new("file_client", ConfigKind.String, "remote", "remote (the master) or local."),
        new("beacons", ConfigKind.Map, new Dictionary<string, object?>(), "Beacons by name, in Salt's list-of-dicts form (see beacons.list_available)."),
        new("schedule", ConfigKind.Map, new Dictionary<string, object?>(), "Scheduled jobs by name, as Salt's schedule: (function, args, kwargs, seconds/minutes/hours/days, cron, when...)."),
        .. Mine.MineSettings.Keys,
    ];

    public string Id { get; set; } = Environment.MachineName;
    public string Master { get; set; } = "salt";
    public int MasterPort { get; set; } = 4606;
    public int PublishPort { get; set; } = 4605;
    public string MasterFinger { get; set; } = "";
    public string PkiDir { get; set; } = "/etc/orchestrator/pki/minion";
    public string CacheDir { get; set; } = "/var/cache/orchestrator/minion";
    public string SockDir { get; set; } = "/var/run/orchestrator/minion";
    public string LogLevel { get; set; } = "info";
    public string LogFile { get; set; } = "";
    public string LogLevelLogfile { get; set; } = "info";
    public Dictionary<string, object?> Grains { get; set; } = new(StringComparer.Ordinal);
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan AuthTimeout { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan AcceptanceWaitTime { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan ReconnectDefault { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan ReconnectMax { get; set; } = TimeSpan.FromSeconds(10);
    public bool ReconnectRandomize { get; set; } = true;
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan ReturnRetryTimer { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan ReturnRetryTimerMax { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a job may run before the minion acknowledges it separately from its return (not a config key: it must stay
    /// well under the master's first re-send, one <c>publish_retry_interval</c>).
    /// </summary>
    public TimeSpan AckDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromSeconds(60);
    public int MaxMessageSize { get; set; } = 16 * 1024 * 1024;
    public int WorkerThreads { get; set; } = 8;
    public Dictionary<string, List<string>> FileRoots { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, List<string>> PillarRoots { get; set; } = new(StringComparer.Ordinal);
    public string FileClient { get; set; } = "remote";

    /// <summary>The directory the configuration was read from (<c>beacons.save</c> writes <c>minion.d/beacons.conf</c> there); null when none.</summary>
    public string? ConfigDir { get; set; }

    /// <summary>
    /// Whether the configuration names a master. Salt falls back to the host name <c>salt</c>; here a minion that has none
    /// says so at once instead of looking that name up and waiting out its timeouts.
    /// </summary>
    public bool MasterConfigured { get; init; } = true;

    /// <summary>The message for a configuration that names no master.</summary>
    public string NoMasterMessage => $"no master is configured: set 'master:' in {Path.Combine(ConfigDir ?? "/etc/orchestrator", "minion")}";

    /// <summary>The whole configuration as Salt's <c>opts</c>.</summary>
    public Dictionary<string, object?> Raw { get; set; } = new(StringComparer.Ordinal);

    public static MinionOptions Load(string configDir, Action<string> warn, IReadOnlyDictionary<string, object?>? overrides = null)
    {
        var path = Path.Combine(configDir, "minion");
        var given = new HashSet<string>(StringComparer.Ordinal);
        var c = ConfigLoader.Load(path, Keys, warn, overrides, given);
        var id = c.GetString("id", Environment.MachineName);
        if (NameValidator.CheckMinionId(id) is { } idError)
        {
            throw new ConfigException($"{path}: invalid value for 'id': {idError}");
        }
        c["id"] = id;
        // Salt's opts name the file they came from; the mine reads minion.d/*.conf beside it.
        c["conf_file"] = path;
        return new MinionOptions
        {
            Raw = c,
            ConfigDir = configDir,
            MasterConfigured = given.Contains("master"),
            Id = id,
            Master = c.GetString("master"),
            MasterPort = (int)c.GetLong("master_port"),
            PublishPort = (int)c.GetLong("publish_port"),
            MasterFinger = c.GetString("master_finger"),
            PkiDir = c.GetString("pki_dir"),
            CacheDir = c.GetString("cachedir"),
            SockDir = c.GetString("sock_dir"),
            LogLevel = c.GetString("log_level"),
            LogFile = c.GetString("log_file"),
            LogLevelLogfile = c.GetString("log_level_logfile"),
            Grains = c.GetMap("grains"),
            RequestTimeout = TimeSpan.FromSeconds(Math.Max(1, c.GetLong("timeout"))),
            AuthTimeout = TimeSpan.FromSeconds(Math.Max(1, c.GetLong("auth_timeout"))),
            AcceptanceWaitTime = TimeSpan.FromSeconds(Math.Max(1, c.GetLong("acceptance_wait_time"))),
            ReconnectDefault = TimeSpan.FromMilliseconds(Math.Max(10, c.GetLong("recon_default"))),
            ReconnectMax = TimeSpan.FromMilliseconds(Math.Max(10, c.GetLong("recon_max"))),
            ReconnectRandomize = c.GetBool("recon_randomize", true),
            HeartbeatInterval = TimeSpan.FromSeconds(Math.Max(1, c.GetLong("heartbeat_interval"))),
            ReturnRetryTimer = TimeSpan.FromSeconds(Math.Max(1, c.GetLong("return_retry_timer"))),
            ReturnRetryTimerMax = TimeSpan.FromSeconds(Math.Max(Math.Max(1, c.GetLong("return_retry_timer")), c.GetLong("return_retry_timer_max"))),
            ReplayWindow = TimeSpan.FromSeconds(Math.Max(1, c.GetLong("replay_window"))),
            MaxMessageSize = (int)Math.Clamp(c.GetLong("max_message_size"), 1024, int.MaxValue),
            WorkerThreads = (int)Math.Clamp(c.GetLong("worker_threads"), 1, 256),
            FileRoots = c.GetRoots("file_roots", path),
            PillarRoots = c.GetRoots("pillar_roots", path),
            FileClient = c.GetString("file_client"),
        };
    }

}

using Orchestrator.Master.Mine;
using Orchestrator.Master.Reactor;
using Orchestrator.Shared.Config;

namespace Orchestrator.Master.Hosting;

/// <summary>The master's configuration, read from <c>DIR/master</c> with Salt's key names where the concept is the same.</summary>
public sealed class MasterOptions
{
    public static readonly IReadOnlyList<ConfigKey> Keys =
    [
        new("id", ConfigKind.String, "master", "Name of this master in logs and events."),
        new("interface", ConfigKind.String, "0.0.0.0", "Address the publish and request ports bind to."),
        new("publish_port", ConfigKind.Port, 4605L, "Publish (PUB) port."),
        new("ret_port", ConfigKind.Port, 4606L, "Request (ROUTER) port: auth, returns, events, files, pillar."),
        new("pki_dir", ConfigKind.String, "/etc/orchestrator/pki/master", "Master key and minion keys."),
        new("cachedir", ConfigKind.String, "/var/cache/orchestrator/master", "Job cache and other state."),
        new("sock_dir", ConfigKind.String, "/var/run/orchestrator/master", "The CLI's IPC socket."),
        new("auto_accept", ConfigKind.Bool, false, "Accept every new minion key (off by default)."),
        new("autosign_ids", ConfigKind.List, new List<object?>(), "Minion id globs whose keys are accepted automatically."),
        new("log_level", ConfigKind.LogLevel, "info", "Console log level."),
        new("log_file", ConfigKind.String, "", "Log file (empty: none)."),
        new("log_level_logfile", ConfigKind.LogLevel, "info", "Log file level."),
        new("worker_threads", ConfigKind.Int, 5L, "Request workers."),
        new("inbound_queue", ConfigKind.Int, 20_000L, "Requests waiting for a worker; when full the master stops reading until there is room."),
        new("timeout", ConfigKind.Int, 5L, "Default seconds the CLI waits for returns."),
        new("keep_jobs", ConfigKind.Int, 24L, "Hours the job cache keeps jobs."),
        new("file_roots", ConfigKind.Map, new Dictionary<string, object?>(), "Environments → directories of the file server."),
        new("file_recv", ConfigKind.Bool, false, "Accept files minions push with cp.push (off by default, as in Salt)."),
        new("file_recv_max_size", ConfigKind.Int, 100L, "Largest file in MB a minion may push with cp.push."),
        new("pillar_roots", ConfigKind.Map, new Dictionary<string, object?>(), "Environments → directories of the pillar tree."),
        new("nodegroups", ConfigKind.Map, new Dictionary<string, object?>(), "Named targets for -N and N@."),
        new("max_message_size", ConfigKind.Int, 16L * 1024 * 1024, "Largest accepted frame in bytes."),
        new("replay_window", ConfigKind.Int, 60L, "Seconds of clock skew accepted; older or repeated envelopes are refused."),
        new("publish_hwm", ConfigKind.Int, 100_000L, "Publish high-water mark per subscriber."),
        new("publish_fanout", ConfigKind.String, "auto",
            "How a job reaches the minions: pub (the PUB socket), router (each session's request connection) or auto (router above 500 connected minions)."),
        new("publish_retry_interval", ConfigKind.Int, 1000L, "Milliseconds between re-sends of an unacknowledged publish."),
        new("session_key_rotation", ConfigKind.Int, 86_400L, "Seconds between scheduled publish key rotations."),
        new("presence_timeout", ConfigKind.Int, 30L, "Seconds since last contact after which manage.down lists a minion."),
        new("presence_events", ConfigKind.Bool, false, "Fire salt/presence/present and salt/presence/change every loop_interval (Salt's key)."),
        new("gather_job_timeout", ConfigKind.Int, 10L,
            "Seconds to wait for saltutil.find_job answers once a job's timeout passes, before a pending minion counts as not returned."),
        new("loop_interval", ConfigKind.Int, 60L, "Seconds between the master's maintenance rounds (presence events)."),
        new("auth_rate_limit", ConfigKind.Int, 500L,
            "Handshake hellos per second from all peers together, checked before any RSA work (0: unlimited)."),
        new("auth_rate_limit_per_connection", ConfigKind.Int, 5L, "Unauthenticated handshake frames per second from one connection (0: unlimited)."),
        new("max_pending_keys", ConfigKind.Int, 1000L, "Keys of new minion ids kept pending at most; further new ids are refused and logged (0: no cap)."),
        new("schedule", ConfigKind.Map, new Dictionary<string, object?>(), "The master's scheduled runner jobs by name, as Salt's schedule: (function, args, kwargs, seconds/minutes/hours/days, cron, when...)."),
        .. ReactorOptions.Keys,
        .. MineOptions.Keys,
        .. Cloud.CloudConfig.Keys,
        .. FileServer.Gitfs.GitfsOptions.Keys,
        .. Pillar.GitPillar.GitPillarOptions.Keys,
        .. ExternalAuth.EauthOptions.Keys,
        .. Api.ApiOptions.Keys,
    ];

    public string Id { get; set; } = "master";
    public string Interface { get; set; } = "0.0.0.0";
    public int PublishPort { get; set; } = 4605;
    public int RetPort { get; set; } = 4606;
    public string PkiDir { get; set; } = "/etc/orchestrator/pki/master";
    public string CacheDir { get; set; } = "/var/cache/orchestrator/master";
    public string SockDir { get; set; } = "/var/run/orchestrator/master";
    public bool AutoAccept { get; set; }
    public List<string> AutosignIds { get; set; } = [];
    public string LogLevel { get; set; } = "info";
    public string LogFile { get; set; } = "";
    public string LogLevelLogfile { get; set; } = "info";
    public int WorkerThreads { get; set; } = 5;
    public int InboundQueue { get; set; } = 20_000;
    public int Timeout { get; set; } = 5;
    public int KeepJobsHours { get; set; } = 24;
    public Dictionary<string, List<string>> FileRoots { get; set; } = new(StringComparer.Ordinal);
    public bool FileRecv { get; set; }
    public long FileRecvMaxSize { get; set; } = 100;
    public Dictionary<string, List<string>> PillarRoots { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, object?> Nodegroups { get; set; } = new(StringComparer.Ordinal);
    public int MaxMessageSize { get; set; } = 16 * 1024 * 1024;
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromSeconds(60);
    public int PublishHighWatermark { get; set; } = 100_000;
    public TimeSpan PublishRetryInterval { get; set; } = TimeSpan.FromSeconds(1);
    public string PublishFanout { get; set; } = "auto";
    public TimeSpan SessionKeyRotation { get; set; } = TimeSpan.FromDays(1);
    public TimeSpan PresenceTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public bool PresenceEvents { get; set; }
    public TimeSpan LoopInterval { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan GatherJobTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public int AuthRateLimit { get; set; } = 500;
    public int AuthRateLimitPerConnection { get; set; } = 5;
    public int MaxPendingKeys { get; set; } = 1000;
    public ReactorOptions Reactor { get; set; } = new();
    public MineOptions Mine { get; set; } = new();
    public FileServer.Gitfs.GitfsOptions Gitfs { get; set; } = new();

    public Pillar.GitPillar.GitPillarOptions GitPillar { get; set; } = new();

    /// <summary>External auth, publisher_acl and tokens.</summary>
    public ExternalAuth.EauthOptions Eauth { get; set; } = new();

    /// <summary>The REST API (<c>rest_api:</c>); null: the master runs none.</summary>
    public Api.ApiOptions? RestApi { get; set; }

    /// <summary>The directory the configuration was read from (empty when built in code); <c>caller.*</c> reactions use it.</summary>
    public string ConfigDir { get; set; } = "";

    /// <summary>The whole loaded configuration, as <c>opts</c> for pillar rendering.</summary>
    public Dictionary<string, object?> Raw { get; set; } = new(StringComparer.Ordinal);

    public string SocketPath => Path.Combine(SockDir, "master.ipc");

    public static MasterOptions Load(string configDir, Action<string> warn, IReadOnlyDictionary<string, object?>? overrides = null)
    {
        var path = Path.Combine(configDir, "master");
        var c = ConfigLoader.Load(path, Keys, warn, overrides);
        return new MasterOptions
        {
            Raw = c,
            ConfigDir = Path.GetFullPath(configDir),
            Id = c.GetString("id"),
            Interface = c.GetString("interface"),
            PublishPort = (int)c.GetLong("publish_port"),
            RetPort = (int)c.GetLong("ret_port"),
            PkiDir = c.GetString("pki_dir"),
            CacheDir = c.GetString("cachedir"),
            SockDir = c.GetString("sock_dir"),
            AutoAccept = c.GetBool("auto_accept"),
            AutosignIds = c.GetStringList("autosign_ids"),
            LogLevel = c.GetString("log_level"),
            LogFile = c.GetString("log_file"),
            LogLevelLogfile = c.GetString("log_level_logfile"),
            WorkerThreads = (int)Math.Clamp(c.GetLong("worker_threads"), 1, 256),
            InboundQueue = (int)Math.Clamp(c.GetLong("inbound_queue"), 16, 10_000_000),
            Timeout = (int)c.GetLong("timeout"),
            KeepJobsHours = (int)c.GetLong("keep_jobs"),
            FileRoots = c.GetRoots("file_roots", path),
            FileRecv = c.GetBool("file_recv"),
            FileRecvMaxSize = Math.Clamp(c.GetLong("file_recv_max_size"), 0, 1L << 30),
            PillarRoots = c.GetRoots("pillar_roots", path),
            Nodegroups = c.GetMap("nodegroups"),
            MaxMessageSize = (int)Math.Clamp(c.GetLong("max_message_size"), 1024, int.MaxValue),
            ReplayWindow = TimeSpan.FromSeconds(Math.Max(1, c.GetLong("replay_window"))),
            PublishHighWatermark = (int)c.GetLong("publish_hwm"),
            PublishRetryInterval = TimeSpan.FromMilliseconds(Math.Max(50, c.GetLong("publish_retry_interval"))),
            PublishFanout = c.GetString("publish_fanout") is var fanout && fanout is "auto" or "pub" or "router"
                ? fanout
                : throw new ConfigException($"{path}: invalid value for 'publish_fanout': expected auto, pub or router, got '{fanout}'"),
            SessionKeyRotation = TimeSpan.FromSeconds(Math.Max(60, c.GetLong("session_key_rotation"))),
            PresenceTimeout = TimeSpan.FromSeconds(Math.Max(1, c.GetLong("presence_timeout"))),
            PresenceEvents = c.GetBool("presence_events"),
            LoopInterval = TimeSpan.FromSeconds(Math.Max(1, c.GetLong("loop_interval"))),
            GatherJobTimeout = TimeSpan.FromSeconds(Math.Clamp(c.GetLong("gather_job_timeout"), 1, 3600)),
            AuthRateLimit = (int)Math.Clamp(c.GetLong("auth_rate_limit"), 0, 1_000_000),
            AuthRateLimitPerConnection = (int)Math.Clamp(c.GetLong("auth_rate_limit_per_connection"), 0, 1_000_000),
            MaxPendingKeys = (int)Math.Clamp(c.GetLong("max_pending_keys"), 0, 10_000_000),
            Reactor = ReactorOptions.FromConfig(c, path),
            Mine = MineOptions.FromConfig(c, path),
            Gitfs = FileServer.Gitfs.GitfsOptions.FromConfig(c, path),
            GitPillar = Pillar.GitPillar.GitPillarOptions.FromConfig(c, path),
            Eauth = ExternalAuth.EauthOptions.FromConfig(c, path),
            RestApi = Api.ApiOptions.FromConfig(c, path, warn),
        };
    }

}

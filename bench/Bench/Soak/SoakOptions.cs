using System.Globalization;

namespace Orchestrator.Bench.Soak;

/// <summary>Command-line options of <c>orch-bench soak</c> (see bench/README.md, section "Soak").</summary>
public sealed class SoakOptions
{
    public static readonly string[] AllChaos = ["master-term", "master-kill", "master-stop", "minion-kill"];

    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(10);
    public int Seed { get; set; } = Random.Shared.Next(1, 1_000_000);
    public int Minions { get; set; } = 3;
    public int Swarm { get; set; }
    public TimeSpan JobInterval { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan SwarmInterval { get; set; } = TimeSpan.FromSeconds(20);
    public TimeSpan ChaosInterval { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan StopFor { get; set; } = TimeSpan.FromSeconds(40);
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(30);
    public int JobTimeoutSeconds { get; set; } = 120;
    public int HeartbeatSeconds { get; set; } = 5;
    public HashSet<string> Chaos { get; set; } = [.. AllChaos];
    public string? BinDirectory { get; set; }
    public string KeyDirectory { get; set; } = KeyCache.DefaultDirectory();
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), $"orch-soak-{Environment.ProcessId}");
    public bool KeepWork { get; set; }

    /// <summary>
    /// How long after its publish a job's missing return counts as lost: the job's timeout (the master re-sends the publish
    /// that long) plus two return re-send rounds of the minion and a margin.
    /// </summary>
    public TimeSpan SettleAfter => TimeSpan.FromSeconds(JobTimeoutSeconds + 60);

    public static string Usage => """
        orch-bench soak: a long run (hours, not part of CI) against a real orch-master and real orch-minion processes that
        drives jobs while it restarts, kills and freezes the daemons, and reports returns lost (goal 0), jobs run twice
        and memory over time

          --duration T          how long to drive jobs and chaos, e.g. 30m, 2h, 90s (default 10m; the real target is hours)
          --seed N              seed for the job mix, targets and chaos (default random, printed)
          --minions N           real orch-minion processes (default 3)
          --swarm N             simulated minions for load, pinged every --swarm-interval (default 0)
          --job-interval T      mean time between jobs to the real minions (default 2s)
          --swarm-interval T    time between test.ping jobs to the swarm (default 20s)
          --chaos-interval T    mean time between chaos actions, counted from the end of the last one (default 60s)
          --chaos LIST          actions to draw from: master-term,master-kill,master-stop,minion-kill (default all), or none
          --stop-for T          how long a SIGSTOP freezes the master, +-25 % (default 40s; minions give it up after ~2 heartbeats)
          --sample T            memory sample interval (default 30s)
          --job-timeout S       timeout of each job in seconds: how long the master re-sends its publish (default 120)
          --heartbeat S         real minions' heartbeat_interval (default 5)
          --bin DIR             directory with orch-master, orch-minion, orch (default artifacts/orch, else published to a temp dir)
          --keys DIR            RSA key cache for the swarm (default ~/.cache/orch-bench/keys)
          --work DIR            scratch directory (default a temp dir, deleted at the end unless the run found a problem)
          --keep                keep the scratch directory
        """;

    public static SoakOptions Parse(string[] args)
    {
        var o = new SoakOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--duration": o.Duration = ParseTime(Next()); break;
                case "--seed": o.Seed = NextInt(); break;
                case "--minions": o.Minions = NextInt(); break;
                case "--swarm": o.Swarm = NextInt(); break;
                case "--job-interval": o.JobInterval = ParseTime(Next()); break;
                case "--swarm-interval": o.SwarmInterval = ParseTime(Next()); break;
                case "--chaos-interval": o.ChaosInterval = ParseTime(Next()); break;
                case "--chaos": o.Chaos = ParseChaos(Next()); break;
                case "--stop-for": o.StopFor = ParseTime(Next()); break;
                case "--sample": o.SampleInterval = ParseTime(Next()); break;
                case "--job-timeout": o.JobTimeoutSeconds = NextInt(); break;
                case "--heartbeat": o.HeartbeatSeconds = NextInt(); break;
                case "--bin": o.BinDirectory = Path.GetFullPath(Next()); break;
                case "--keys": o.KeyDirectory = Path.GetFullPath(Next()); break;
                case "--work": o.WorkDirectory = Path.GetFullPath(Next()); break;
                case "--keep": o.KeepWork = true; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (o.Minions < 1 || o.Minions > 20)
        {
            throw new ArgumentException("--minions needs 1 to 20");
        }
        if (o.Swarm < 0 || o.JobTimeoutSeconds < 10 || o.HeartbeatSeconds < 1)
        {
            throw new ArgumentException("--swarm must not be negative, --job-timeout at least 10, --heartbeat at least 1");
        }
        if (o.Duration < TimeSpan.FromSeconds(10) || o.JobInterval < TimeSpan.FromMilliseconds(50) || o.SampleInterval < TimeSpan.FromSeconds(1)
            || o.ChaosInterval < TimeSpan.FromSeconds(1) || o.SwarmInterval < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException("--duration needs at least 10s, --job-interval 50ms, --sample, --chaos-interval and --swarm-interval 1s");
        }
        return o;
    }

    /// <summary>Parses <c>90</c> (seconds), <c>90s</c>, <c>500ms</c>, <c>10m</c>, <c>2h</c>.</summary>
    public static TimeSpan ParseTime(string text)
    {
        var t = text.Trim();
        (string Number, Func<double, TimeSpan> Unit) parts = t switch
        {
            _ when t.EndsWith("ms", StringComparison.Ordinal) => (t[..^2], TimeSpan.FromMilliseconds),
            _ when t.EndsWith('s') => (t[..^1], TimeSpan.FromSeconds),
            _ when t.EndsWith('m') => (t[..^1], TimeSpan.FromMinutes),
            _ when t.EndsWith('h') => (t[..^1], TimeSpan.FromHours),
            _ => (t, TimeSpan.FromSeconds),
        };
        if (!double.TryParse(parts.Number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            throw new ArgumentException($"'{text}' is not a time (examples: 90s, 10m, 2h)");
        }
        return parts.Unit(value);
    }

    private static HashSet<string> ParseChaos(string text)
    {
        if (text == "none")
        {
            return [];
        }
        var set = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        if (set.FirstOrDefault(a => !AllChaos.Contains(a)) is { } unknown)
        {
            throw new ArgumentException($"unknown chaos action '{unknown}' (known: {string.Join(", ", AllChaos)}, or none)");
        }
        return set;
    }
}

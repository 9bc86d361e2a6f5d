using System.Globalization;

namespace Orchestrator.Bench;

/// <summary>Command-line options of the swarm benchmark (see bench/README.md).</summary>
public sealed class BenchOptions
{
    public List<int> Sizes { get; set; } = [10, 100, 1000, 5000];
    public int? Repeats { get; set; }
    public int Jobs { get; set; } = 200;
    public int MaxReturns { get; set; } = 200_000;
    public string KeyDirectory { get; set; } = KeyCache.DefaultDirectory();
    public string? BinDirectory { get; set; }
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), $"orch-bench-{Environment.ProcessId}");
    public int ShardSize { get; set; } = 2500;
    public int Loops { get; set; } = 4;
    public int IoThreads { get; set; } = 1;
    public int AuthConcurrency { get; set; } = 64;
    public int HeartbeatSeconds { get; set; } = 10;
    public int PublishRetryMs { get; set; } = 1000;
    public int KeyPool { get; set; }
    public int MasterWorkers { get; set; } = 5;
    public string PublishFanout { get; set; } = "auto";
    public bool Probes { get; set; } = true;

    /// <summary>test.ping jobs the probe minion answers before its memory is read again.</summary>
    public int ProbeJobs { get; set; } = 1000;
    public bool KeepWork { get; set; }
    public string? MasterCpus { get; set; }
    public string? SwarmCpus { get; set; }
    public string? TraceMaster { get; set; }
    public string? PerfMaster { get; set; }
    public bool FirstAccept { get; set; }
    public Dictionary<string, string> MasterEnvironment { get; } = new(StringComparer.Ordinal);

    public static string Usage => """
        orch-bench: swarm benchmark (a real orch-master process and N simulated minions speaking the real protocol)
        orch-bench handshake [--rounds 400]: the public-key work of one authentication on the master and on a minion
        orch-bench fanout [500,1000,2000,4000]: NetMQ PUB send cost by number of subscribers (no master)
        orch-bench healing [--kills 20]: SIGKILL of nginx to healthy again, healed by beacon and reactor (orch-bench healing --help)
        orch-bench soak [--duration 2h]: hours of jobs while daemons are restarted, killed and frozen; returns lost, memory (orch-bench soak --help)

          --sizes 10,100,1000,5000   swarm sizes to measure
          --repeats N                latency samples per size (default: 20 up to 100 minions, 10 at 1,000, 5 above)
          --jobs N                   back-to-back test.ping jobs for the throughput phase (default 200)
          --max-returns N            cap on jobs x minions in the throughput phase (default 200000)
          --keys DIR                 RSA key cache (default ~/.cache/orch-bench/keys)
          --key-pool K               reuse K cached keys round-robin (minion i signs with key i mod K; ids stay distinct).
                                     Default 0: one key per minion. For a quick large run before the cache is filled
          --bin DIR                  directory with orch-master, orch-minion, orch (default artifacts/orch, else published to a temp dir)
          --work DIR                 scratch directory for master/minion data (default a temp dir, deleted at the end)
          --keep                     keep the scratch directory
          --shard-size N             simulated minions per swarm process (default 2500; ~6 file descriptors each)
          --loops N                  poller threads per swarm process (default 4)
          --io-threads N             NetMQ I/O threads per swarm process (default 1)
          --auth-concurrency N       handshakes in flight per swarm process (default 64)
          --heartbeat SECONDS        simulated minions' heartbeat interval, 0 = none (default 10, the minion default)
          --publish-retry MS         master publish_retry_interval (default 1000, the master default)
          --master-workers N         master worker_threads (default 5, the master default)
          --publish-fanout MODE      master publish_fanout: auto (default, the master default), pub or router
          --no-probes                skip the orch-minion / orch --version start-up probes
          --probe-jobs N             test.ping jobs to the probe minion before its memory is read again (default 1000)
          --first-accept             the master accepts the swarm's keys itself (auto_accept) instead of finding them
                                     accepted already, as after a restart (the default)
          --master-env NAME=VALUE    an environment variable for orch-master (repeatable), e.g. DOTNET_GCConserveMemory=5
          --master-cpus LIST         run orch-master on these CPUs only (taskset -c LIST, e.g. 0)
          --swarm-cpus LIST          run the swarm processes on these CPUs only (e.g. 1), so the master's own cost shows
          --trace-master FILE        stack samples of orch-master (dotnet-trace, ~100 Hz per thread) into FILE and FILE.speedscope.json;
                                     one size per run (the file is written when that size's master stops)
          --perf-master FILE         CPU samples of orch-master with call graphs (perf record, cpu-clock, 499 Hz) into
                                     FILE; read with perf report -i FILE. One size per run
        """;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--sizes":
                    o.Sizes = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(s => int.Parse(s.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture))];
                    break;
                case "--repeats": o.Repeats = NextInt(); break;
                case "--jobs": o.Jobs = NextInt(); break;
                case "--max-returns": o.MaxReturns = NextInt(); break;
                case "--keys": o.KeyDirectory = Path.GetFullPath(Next()); break;
                case "--key-pool": o.KeyPool = NextInt(); break;
                case "--bin": o.BinDirectory = Path.GetFullPath(Next()); break;
                case "--work": o.WorkDirectory = Path.GetFullPath(Next()); break;
                case "--keep": o.KeepWork = true; break;
                case "--shard-size": o.ShardSize = NextInt(); break;
                case "--loops": o.Loops = NextInt(); break;
                case "--io-threads": o.IoThreads = NextInt(); break;
                case "--auth-concurrency": o.AuthConcurrency = NextInt(); break;
                case "--heartbeat": o.HeartbeatSeconds = NextInt(); break;
                case "--publish-retry": o.PublishRetryMs = NextInt(); break;
                case "--master-workers": o.MasterWorkers = NextInt(); break;
                case "--publish-fanout":
                    o.PublishFanout = Next() is var mode && mode is "auto" or "pub" or "router"
                        ? mode : throw new ArgumentException("--publish-fanout is auto, pub or router");
                    break;
                case "--no-probes": o.Probes = false; break;
                case "--probe-jobs": o.ProbeJobs = NextInt(); break;
                case "--first-accept": o.FirstAccept = true; break;
                case "--master-env":
                    var setting = Next();
                    var equals = setting.IndexOf('=', StringComparison.Ordinal);
                    if (equals < 1)
                    {
                        throw new ArgumentException("--master-env takes NAME=VALUE");
                    }
                    o.MasterEnvironment[setting[..equals]] = setting[(equals + 1)..];
                    break;
                case "--master-cpus": o.MasterCpus = Next(); break;
                case "--swarm-cpus": o.SwarmCpus = Next(); break;
                case "--trace-master": o.TraceMaster = Path.GetFullPath(Next()); break;
                case "--perf-master": o.PerfMaster = Path.GetFullPath(Next()); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (o.Sizes.Count == 0 || o.Sizes.Any(n => n < 1))
        {
            throw new ArgumentException("--sizes needs positive numbers");
        }
        if ((o.TraceMaster is not null || o.PerfMaster is not null) && o.Sizes.Count != 1)
        {
            throw new ArgumentException("--trace-master and --perf-master profile one master: give one size");
        }
        return o;
    }

    /// <summary>How many distinct keys a swarm of <paramref name="n"/> minions uses.</summary>
    public int KeysFor(int n) => KeyPool > 0 ? Math.Min(KeyPool, n) : n;

    public int RepeatsFor(int n) => Repeats ?? (n <= 100 ? 20 : n <= 1000 ? 10 : 5);

    public int JobsFor(int n) => Math.Max(1, Math.Min(Jobs, MaxReturns / n));
}

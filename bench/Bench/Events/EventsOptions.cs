using System.Globalization;

namespace Orchestrator.Bench.Events;

/// <summary>Command-line options of <c>orch-bench --events</c> (see bench/README.md, "Event bus" and "Reactor latency").</summary>
public sealed class EventsOptions
{
    public bool Throughput { get; set; } = true;
    public bool Reactor { get; set; } = true;
    public int Minions { get; set; } = 100;
    public int EventsPerMinion { get; set; } = 1000;
    public List<int> Subscribers { get; set; } = [1, 100];
    public double Rate { get; set; }
    public int Window { get; set; } = 1;
    public int ReactorEvents { get; set; } = 100;
    public int ReactorWarmup { get; set; } = 5;
    public double ReactorLoad { get; set; }
    public int ReactorLoadSeconds { get; set; } = 20;

    /// <summary>Master and swarm settings shared with the swarm benchmark (binaries, keys, scratch dir, swarm shape).</summary>
    public BenchOptions Bench { get; } = new();

    public static string Usage => """
        orch-bench --events [throughput|reactor] [options]: the event-driven half (both benchmarks unless one is named)

          throughput: N simulated minions fire sealed EventFire requests through a real orch-master to IPC subscribers
          (what `orch run state.event` reads); reports events/s acked and received, events lost, master CPU and peak RSS.
            --minions N              simulated minions (default 100)
            --count N                events per minion (default 1000)
            --subscribers 1,100      subscriber counts, one fresh master each (default 1,100)
            --rate R                 events/s per minion; 0 = as fast as acks allow (default 0)
            --window W               requests per minion awaiting the master's ack (default 1)

          reactor: a simulated minion fires an event; the master's reactor runs local.cmd.run on a real orch-minion,
          which creates a marker file; the clock stops when inotify reports it. Median and p99.
            --reactor-events N       measured events (default 100)
            --reactor-warmup N       events fired first and not measured (default 5)
            --reactor-load R         meanwhile, --minions other simulated minions fire R events/s in all on bench/load/*
                                     (not matched by the reactor); default 0, an idle bus
            --reactor-load-seconds S how long that load runs (default 20); samples taken after it ended are not counted

          shared: --bin DIR, --keys DIR, --work DIR, --keep, --loops N, --heartbeat SECONDS (as for the swarm benchmark)
        """;

    public static EventsOptions Parse(string[] args)
    {
        var o = new EventsOptions();
        var i = 0;
        if (i < args.Length && args[i] is "throughput" or "reactor")
        {
            o.Throughput = args[i] == "throughput";
            o.Reactor = args[i] == "reactor";
            i++;
        }
        for (; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next().Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--minions": o.Minions = NextInt(); break;
                case "--count": o.EventsPerMinion = NextInt(); break;
                case "--subscribers":
                    o.Subscribers = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
                    break;
                case "--rate": o.Rate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--window": o.Window = NextInt(); break;
                case "--reactor-events": o.ReactorEvents = NextInt(); break;
                case "--reactor-warmup": o.ReactorWarmup = NextInt(); break;
                case "--reactor-load": o.ReactorLoad = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--reactor-load-seconds": o.ReactorLoadSeconds = NextInt(); break;
                case "--bin": o.Bench.BinDirectory = Path.GetFullPath(Next()); break;
                case "--keys": o.Bench.KeyDirectory = Path.GetFullPath(Next()); break;
                case "--work": o.Bench.WorkDirectory = Path.GetFullPath(Next()); break;
                case "--keep": o.Bench.KeepWork = true; break;
                case "--loops": o.Bench.Loops = NextInt(); break;
                case "--heartbeat": o.Bench.HeartbeatSeconds = NextInt(); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (o.Minions < 1 || o.EventsPerMinion < 1 || o.Window < 1 || o.Rate < 0 || o.ReactorEvents < 1 || o.ReactorWarmup < 0 || o.ReactorLoad < 0
            || o.ReactorLoadSeconds < 1
            || o.Subscribers.Count == 0 || o.Subscribers.Any(s => s < 1))
        {
            throw new ArgumentException("--minions, --count, --window, --reactor-events and --subscribers need positive numbers; --rate, --reactor-warmup and --reactor-load at least 0");
        }
        return o;
    }
}

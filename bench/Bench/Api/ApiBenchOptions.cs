using System.Globalization;

namespace Orchestrator.Bench.Api;

/// <summary>Command-line options of <c>orch-bench api</c> (see bench/README.md).</summary>
public sealed class ApiBenchOptions
{
    public int Minions { get; set; } = 10;
    public List<int> Concurrency { get; set; } = [1, 16];
    public double Seconds { get; set; } = 10;
    public int WebSockets { get; set; } = 100;
    public int Repeats { get; set; } = 5;
    public string? BinDirectory { get; set; }
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), $"orch-bench-api-{Environment.ProcessId}");

    public static string Usage => """
        orch-bench api: the REST API inside a real orch-master with real orch-minion processes on loopback (plain HTTP on
        127.0.0.1, file eauth): POST / local test.ping to every minion at 1 and 16 concurrent clients (requests/s, median
        and p95 latency), then one job's events fanned out to many websocket clients (time until all have every return)

          --minions N        minions each test.ping targets (default 10)
          --concurrency LIST concurrent API clients, one measurement each (default 1,16)
          --seconds S        how long each concurrency level runs (default 10)
          --websockets N     websocket clients of the fan-out (default 100)
          --repeats N        fan-out jobs timed; the median is printed with min-max (default 5)
          --bin DIR          directory with orch-master, orch-minion, orch (default artifacts/orch, else published to a temp dir)
          --work DIR         scratch directory (default a temp dir, deleted at the end)
        """;

    public static ApiBenchOptions Parse(string[] args)
    {
        var o = new ApiBenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--minions": o.Minions = NextInt(); break;
                case "--concurrency": o.Concurrency = Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList(); break;
                case "--seconds": o.Seconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--websockets": o.WebSockets = NextInt(); break;
                case "--repeats": o.Repeats = NextInt(); break;
                case "--bin": o.BinDirectory = Path.GetFullPath(Next()); break;
                case "--work": o.WorkDirectory = Path.GetFullPath(Next()); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (o.Minions < 1 || o.Concurrency.Count == 0 || o.Concurrency.Any(c => c < 1) || o.Seconds <= 0 || o.WebSockets < 1 || o.Repeats < 1)
        {
            throw new ArgumentException("--minions, --concurrency, --seconds, --websockets and --repeats must be positive");
        }
        return o;
    }
}

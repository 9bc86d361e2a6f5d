using System.Globalization;

namespace Orchestrator.Bench.Healing;

/// <summary>Command-line options of <c>orch-bench healing</c> (see bench/README.md).</summary>
public sealed class HealingOptions
{
    public int Kills { get; set; } = 20;
    public string? BinDirectory { get; set; }
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), $"orch-bench-healing-{Environment.ProcessId}");
    public bool KeepWork { get; set; }
    public int BeaconInterval { get; set; } = 1;

    public static string Usage => """
        orch-bench healing: time from SIGKILL of a minion's nginx master until a new one serves the page again, healed by
        the service beacon (pillars/web.sls) and the reactor (reactor/heal-nginx.sls); real orch-master and orch-minion processes

          --kills N              kills to time (default 20)
          --beacon-interval S    the service beacon's interval in seconds (default 1, as pillars/web.sls)
          --bin DIR              directory with orch-master, orch-minion, orch (default artifacts/orch, else published to a temp dir)
          --work DIR             scratch directory (default a temp dir, deleted at the end)
          --keep                 keep the scratch directory
        """;

    public static HealingOptions Parse(string[] args)
    {
        var o = new HealingOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--kills": o.Kills = NextInt(); break;
                case "--beacon-interval": o.BeaconInterval = NextInt(); break;
                case "--bin": o.BinDirectory = Path.GetFullPath(Next()); break;
                case "--work": o.WorkDirectory = Path.GetFullPath(Next()); break;
                case "--keep": o.KeepWork = true; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (o.Kills < 1 || o.BeaconInterval < 1)
        {
            throw new ArgumentException("--kills and --beacon-interval need positive numbers");
        }
        return o;
    }
}

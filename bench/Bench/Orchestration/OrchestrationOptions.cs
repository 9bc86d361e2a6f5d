using System.Globalization;

namespace Orchestrator.Bench.Orchestration;

/// <summary>Command-line options of <c>orch-bench orchestrate</c> (see bench/README.md).</summary>
public sealed class OrchestrationOptions
{
    public List<int> Steps { get; set; } = [1, 10, 50];
    public int Minions { get; set; } = 2;
    public int Repeats { get; set; } = 5;
    public string? BinDirectory { get; set; }
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), $"orch-bench-orch-{Environment.ProcessId}");

    public static string Usage => """
        orch-bench orchestrate: what an orchestration step costs on top of the job it runs; a real orch-master and real
        orch-minion processes on loopback

          --steps LIST     orchestrations of N chained salt.function test.ping steps (default 1,10,50)
          --minions N      minions every step targets (default 2)
          --repeats N      runs per size; the median is printed with min-max (default 5)
          --bin DIR        directory with orch-master, orch-minion, orch (default artifacts/orch, else published to a temp dir)
          --work DIR       scratch directory (default a temp dir, deleted at the end)
        """;

    public static OrchestrationOptions Parse(string[] args)
    {
        var o = new OrchestrationOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--steps": o.Steps = Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList(); break;
                case "--minions": o.Minions = NextInt(); break;
                case "--repeats": o.Repeats = NextInt(); break;
                case "--bin": o.BinDirectory = Path.GetFullPath(Next()); break;
                case "--work": o.WorkDirectory = Path.GetFullPath(Next()); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (o.Steps.Count == 0 || o.Steps.Any(s => s < 1) || o.Minions < 1 || o.Repeats < 1)
        {
            throw new ArgumentException("--steps, --minions and --repeats must be positive");
        }
        return o;
    }
}

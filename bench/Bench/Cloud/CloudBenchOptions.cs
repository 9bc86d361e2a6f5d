using System.Globalization;

namespace Orchestrator.Bench.Cloud;

/// <summary>Command-line options of <c>orch-bench cloud</c> (see bench/README.md).</summary>
public sealed class CloudBenchOptions
{
    public int Nodes { get; set; } = 5;
    public string? BinDirectory { get; set; }
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), $"orch-bench-cloud-{Environment.ProcessId}");

    public static string Usage => """
        orch-bench cloud: time from cloud.create to the new node's start event, its created event and its highstate's
        return (run by reactor/cloud-highstate.sls); a real orch-master, the local driver's real orch-minion processes

          --nodes N      nodes created (and destroyed) one after another (default 5)
          --bin DIR      directory with orch-master, orch-minion, orch (default artifacts/orch, else published to a temp dir)
          --work DIR     scratch directory (default a temp dir, deleted at the end)
        """;

    public static CloudBenchOptions Parse(string[] args)
    {
        var o = new CloudBenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--nodes": o.Nodes = int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture); break;
                case "--bin": o.BinDirectory = Path.GetFullPath(Next()); break;
                case "--work": o.WorkDirectory = Path.GetFullPath(Next()); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (o.Nodes < 1)
        {
            throw new ArgumentException("--nodes must be positive");
        }
        return o;
    }
}

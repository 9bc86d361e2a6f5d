using System.Globalization;

namespace Orchestrator.Bench.Gitfs;

/// <summary>Command-line options of <c>orch-bench gitfs</c> (see bench/README.md).</summary>
public sealed class GitfsBenchOptions
{
    public int Files { get; set; } = 1000;
    public int Changed { get; set; } = 10;
    public int Repeats { get; set; } = 5;
    public double ReadSeconds { get; set; } = 2;
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), $"orch-bench-gitfs-{Environment.ProcessId}");

    public static string Usage => """
        orch-bench gitfs: the master's gitfs backend in-process on a file:// bare repository: first fetch and an
        incremental update of a tree, then salt:// reads per second from gitfs against the same files under roots

          --files N          files in the tree (default 1000, 2 KB each, 10 per directory)
          --changed N        files a new commit changes before the incremental update (default 10)
          --repeats N        fresh caches timed for the first fetch, and commits for the update (default 5)
          --read-seconds S   how long each throughput case reads (default 2)
          --work DIR         scratch directory (default a temp dir, deleted at the end)
        """;

    public static GitfsBenchOptions Parse(string[] args)
    {
        var o = new GitfsBenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--files": o.Files = NextInt(); break;
                case "--changed": o.Changed = NextInt(); break;
                case "--repeats": o.Repeats = NextInt(); break;
                case "--read-seconds": o.ReadSeconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--work": o.WorkDirectory = Path.GetFullPath(Next()); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (o.Files < 1 || o.Changed < 0 || o.Changed > o.Files || o.Repeats < 1 || o.ReadSeconds <= 0)
        {
            throw new ArgumentException("--files, --repeats and --read-seconds must be positive, --changed between 0 and --files");
        }
        return o;
    }
}

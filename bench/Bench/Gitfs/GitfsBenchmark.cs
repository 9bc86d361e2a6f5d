using System.Diagnostics;
using System.Globalization;
using System.Text;
using LibGit2Sharp;
using Orchestrator.Master.FileServer.Gitfs;
using Orchestrator.Master.Hosting;

namespace Orchestrator.Bench.Gitfs;

/// <summary>
/// <c>orch-bench gitfs</c>: times the master's <see cref="GitfsBackend"/> on a file:// bare repository of N files — the
/// first fetch into an empty cache, an update after a commit that changes a few files — and then how many
/// <c>salt://</c> reads per second the file server answers from gitfs and from roots holding the same tree. Every read
/// is checked against the file's known contents.
/// </summary>
public static class GitfsBenchmark
{
    private static readonly Signature Author = new("bench", "bench@example.invalid", DateTimeOffset.UnixEpoch);

    public static async Task<int> RunAsync(string[] args)
    {
        if (SubcommandOptions.Parse(args, "orch-bench gitfs", GitfsBenchOptions.Usage, GitfsBenchOptions.Parse, out var exit) is not { } options)
        {
            return exit;
        }
        try
        {
            return await MeasureAsync(options).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"orch-bench gitfs: {e.Message}");
            return 1;
        }
        finally
        {
            if (Directory.Exists(options.WorkDirectory))
            {
                Directory.Delete(options.WorkDirectory, true);
            }
        }
    }

    private static string PathOf(int i) => $"tree/d{i / 10:000}/f{i:0000}.txt";

    private static string Contents(int i, int generation) =>
        new StringBuilder().Append(CultureInfo.InvariantCulture, $"file {i} generation {generation}\n").Append('x', 2000).Append('\n').ToString();

    private static async Task<int> MeasureAsync(GitfsBenchOptions options)
    {
        var root = options.WorkDirectory;
        var bare = Path.Combine(root, "remote.git");
        Repository.Init(bare, isBare: true);
        var files = Enumerable.Range(0, options.Files).ToDictionary(PathOf, i => Contents(i, 0), StringComparer.Ordinal);
        Commit(bare, files);
        var roots = Path.Combine(root, "roots");
        foreach (var (path, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(roots, path))!);
            await File.WriteAllTextAsync(Path.Combine(roots, path), text).ConfigureAwait(false);
        }
        var url = new Uri(bare).AbsoluteUri;
        MasterOptions Options(string cache, string backend) => new()
        {
            CacheDir = cache,
            FileRoots = new(StringComparer.Ordinal) { ["base"] = [roots] },
            Gitfs = new GitfsOptions { Backends = [backend], Remotes = [new GitfsRemote(url)] },
        };

        var firstFetch = new List<double>();
        for (var r = 0; r < options.Repeats; r++)
        {
            var backend = new GitfsBackend(Options(Path.Combine(root, $"cache-first-{r}"), "gitfs"));
            firstFetch.Add(await TimeUpdateAsync(backend).ConfigureAwait(false));
        }
        var cache = Path.Combine(root, "cache");
        var gitfs = new GitfsBackend(Options(cache, "gitfs"));
        await TimeUpdateAsync(gitfs).ConfigureAwait(false);
        var incremental = new List<double>();
        for (var r = 1; r <= options.Repeats; r++)
        {
            for (var c = 0; c < options.Changed; c++)
            {
                var i = (r * 97 + c * 13) % options.Files;
                files[PathOf(i)] = Contents(i, r);
            }
            Commit(bare, files);
            incremental.Add(await TimeUpdateAsync(gitfs).ConfigureAwait(false));
        }
        var fromGit = new Master.FileServer.FileServer(Options(cache, "gitfs"), gitfs);
        var fromRoots = new Master.FileServer.FileServer(Options(cache, "roots"), gitfs);
        var paths = files.Keys.ToList();
        var gitRate = ReadRate(fromGit, paths, files, options.ReadSeconds);
        var rootsRate = ReadRate(fromRoots, paths, files, options.ReadSeconds);

        static string Column(List<double> values)
        {
            var sorted = values.Order().ToList();
            return string.Create(CultureInfo.InvariantCulture, $"{sorted[sorted.Count / 2]:F1} ms ({sorted[0]:F1}-{sorted[^1]:F1})");
        }
        Console.WriteLine($"gitfs on a file:// bare repository of {options.Files} files (2 KB each); median (min-max) of {options.Repeats}");
        Console.WriteLine($"first fetch into an empty cache     {Column(firstFetch)}");
        Console.WriteLine($"update after a commit of {options.Changed,3} files  {Column(incremental)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"salt:// reads, gitfs                {gitRate,10:N0} files/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"salt:// reads, roots                {rootsRate,10:N0} files/s"));
        return 0;
    }

    private static async Task<double> TimeUpdateAsync(GitfsBackend backend)
    {
        var clock = Stopwatch.StartNew();
        var results = await backend.UpdateAsync(CancellationToken.None).ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (results.Any(r => !r.Success))
        {
            throw new InvalidOperationException($"gitfs update failed: {string.Join("; ", results.Select(r => r.Comment))}");
        }
        return elapsed;
    }

    private static double ReadRate(Master.FileServer.FileServer server, List<string> paths, Dictionary<string, string> expected, double seconds)
    {
        var reads = 0L;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            var path = paths[(int)(reads % paths.Count)];
            var read = server.Read("base", path) ?? throw new InvalidOperationException($"salt://{path} was not served");
            if (read.Contents.Length != Encoding.UTF8.GetByteCount(expected[path]))
            {
                throw new InvalidOperationException($"salt://{path} came back with {read.Contents.Length} bytes, not the committed contents");
            }
            reads++;
        }
        return reads / clock.Elapsed.TotalSeconds;
    }

    private static void Commit(string bare, Dictionary<string, string> files)
    {
        using var repo = new Repository(bare);
        var tree = new TreeDefinition();
        foreach (var (path, text) in files)
        {
            tree.Add(path, repo.ObjectDatabase.CreateBlob(new MemoryStream(Encoding.UTF8.GetBytes(text))), Mode.NonExecutableFile);
        }
        var parent = repo.Branches["master"]?.Tip;
        var commit = repo.ObjectDatabase.CreateCommit(Author, Author, "bench", repo.ObjectDatabase.CreateTree(tree), parent is null ? [] : [parent], prettifyMessage: true);
        repo.Refs.UpdateTarget(repo.Refs.Add("refs/heads/master", commit.Id, allowOverwrite: true), commit.Id);
    }
}

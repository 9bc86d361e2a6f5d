using System.Globalization;
using System.Text;

namespace Orchestrator.StateBench;

/// <summary>
/// A generated state tree in a temp dir: <c>roots/top.sls</c> assigning <c>bench.sNNN</c> to every minion, and about N/100
/// SLS files holding N <c>file.managed</c> states that write into <c>managed/</c>. Every 5th state's <c>contents</c> has
/// Jinja expressions; every 10th state (by default) requires the previous 10th (a chain of N/10 across files).
/// </summary>
internal sealed class StateTree : IDisposable
{
    /// <summary>Which states carry Jinja in their <c>contents</c>.</summary>
    public const int JinjaEvery = 5;

    private StateTree(string root, int size, int files, int requireEvery)
    {
        Root = root;
        Size = size;
        Files = files;
        RequireEvery = requireEvery;
    }

    /// <summary>Every k-th state requires the previous k-th (0: no requisites).</summary>
    public int RequireEvery { get; }

    public string Root { get; }

    public string FileRoot => Path.Combine(Root, "roots");

    public string ManagedDir => Path.Combine(Root, "managed");

    public string CacheDir => Path.Combine(Root, "cache");

    public int Size { get; }

    public int Files { get; }

    public int Requires => RequireEvery > 0 ? (Size - 1) / RequireEvery : 0;

    public static string Id(int i) => $"file_{i:D6}";

    public string ManagedPath(int i, int perFile) => Path.Combine(ManagedDir, $"s{i / perFile:D3}", $"f{i:D6}.txt");

    /// <summary>The text state <paramref name="i"/> must leave in its file (contents plus the newline Salt appends).</summary>
    public static string ExpectedContents(int i, int perFile) => i % JinjaEvery == 0
        ? $"bench bench.s{i / perFile:D3} file {i} {i % 97 * 3} BASE\n"
        : $"static contents of file {i}\n";

    public static StateTree Create(int size, string directory, int requireEvery = 10)
    {
        var root = Path.Combine(directory, $"orch-state-bench-{size}-{Guid.NewGuid().ToString("N")[..8]}");
        var files = Math.Max(1, (int)Math.Round(size / 100.0));
        var tree = new StateTree(root, size, files, requireEvery);
        Directory.CreateDirectory(Path.Combine(tree.FileRoot, "bench"));
        Directory.CreateDirectory(tree.ManagedDir);
        Directory.CreateDirectory(tree.CacheDir);
        tree.Write();
        return tree;
    }

    public int PerFile => (Size + Files - 1) / Files;

    private void Write()
    {
        var top = new StringBuilder("base:\n  '*':\n");
        var perFile = PerFile;
        for (var f = 0; f * perFile < Size; f++)
        {
            var sls = $"s{f:D3}";
            top.Append(CultureInfo.InvariantCulture, $"    - bench.{sls}\n");
            var text = new StringBuilder("{% set owner = 'bench' %}\n");
            for (var i = f * perFile; i < Math.Min(Size, (f + 1) * perFile); i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{Id(i)}:\n  file.managed:\n    - name: {ManagedPath(i, perFile)}\n    - makedirs: True\n");
                text.Append(i % JinjaEvery == 0
                    ? $"    - contents: \"{{{{ owner }}}} {{{{ sls }}}} file {i} {{{{ {i % 97} * 3 }}}} {{{{ saltenv | upper }}}}\"\n"
                    : $"    - contents: \"static contents of file {i}\"\n");
                if (RequireEvery > 0 && i % RequireEvery == 0 && i >= RequireEvery)
                {
                    text.Append(CultureInfo.InvariantCulture, $"    - require:\n      - file: {Id(i - RequireEvery)}\n");
                }
            }
            File.WriteAllText(Path.Combine(FileRoot, "bench", sls + ".sls"), text.ToString());
        }
        File.WriteAllText(Path.Combine(FileRoot, "top.sls"), top.ToString());
    }

    /// <summary>
    /// The file system alone: creates the same N files (directories included) with <see cref="File.WriteAllText(string, string)"/>,
    /// then reads them back, as a baseline for the first and second apply. Returns milliseconds (write, read).
    /// </summary>
    public (double WriteMs, double ReadMs) FileSystemBaseline()
    {
        ResetManaged();
        var perFile = PerFile;
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < Size; i++)
        {
            var path = ManagedPath(i, perFile);
            if (i % perFile == 0)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            }
            File.WriteAllText(path, ExpectedContents(i, perFile));
        }
        var write = stopwatch.Elapsed.TotalMilliseconds;
        stopwatch.Restart();
        for (var i = 0; i < Size; i++)
        {
            _ = File.ReadAllText(ManagedPath(i, perFile));
        }
        var read = stopwatch.Elapsed.TotalMilliseconds;
        ResetManaged();
        return (write, read);
    }

    /// <summary>Empties <see cref="ManagedDir"/>, so the next apply creates every file again.</summary>
    public void ResetManaged()
    {
        if (Directory.Exists(ManagedDir))
        {
            Directory.Delete(ManagedDir, recursive: true);
        }
        Directory.CreateDirectory(ManagedDir);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Orchestrator.Bench.Runner;

namespace Orchestrator.Bench.Healing;

/// <summary>
/// <c>orch-bench healing</c>: a real orch-master (reactor: the repository's reactor/heal-nginx.sls on the service beacon's
/// tag) and a real orch-minion with the web role apply the repository's nginx state; then, again and again, the nginx
/// master is killed with SIGKILL and timed until a new master serves the page. The service beacon and the reactor do
/// the healing; the bench only kills and watches.
/// </summary>
public sealed class HealingBenchmark(HealingOptions options, Action<string> log)
{
    private const string Nginx = "/opt/orchestrator/nginx/usr/sbin/nginx";

    private readonly string _id = $"healbench{Environment.ProcessId}-web1";
    private readonly List<Process> _daemons = [];

    private string Service => $"orch-nginx-{_id}";

    private string InitScript => $"/etc/init.d/{Service}";

    private string Root => options.WorkDirectory;

    private string MasterDir => Path.Combine(Root, "master");

    private string PidFile => Path.Combine(Root, "demo", _id, "nginx", "run", "nginx.pid");

    private string ConfFile => Path.Combine(Root, "demo", _id, "nginx", "nginx.conf");

    /// <summary>Runs the benchmark and prints its table; 0 when every kill healed.</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (SubcommandOptions.Parse(args, "orch-bench healing", HealingOptions.Usage, HealingOptions.Parse, out var exit) is not { } options)
        {
            return exit;
        }
        if (!File.Exists(Nginx) || Environment.UserName != "root")
        {
            Console.Error.WriteLine(!File.Exists(Nginx)
                ? $"orch-bench healing: {Nginx} is missing; install it with scripts/install-nginx.sh (needs root and apt-get)"
                : "orch-bench healing: needs root (the nginx state writes an init script to /etc/init.d)");
            return 1;
        }
        void Log(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
        var bench = new HealingBenchmark(options, Log);
        try
        {
            return await bench.MeasureAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Console.Error.WriteLine($"orch-bench healing: {e.Message} (logs in {options.WorkDirectory}; pass --keep to keep them)");
            return 1;
        }
        finally
        {
            await bench.CleanUpAsync().ConfigureAwait(false);
        }
    }

    private async Task<int> MeasureAsync(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        Directory.CreateDirectory(Root);
        var bin = await Binaries.ResolveAsync(new BenchOptions { BinDirectory = options.BinDirectory, WorkDirectory = Root }, log, cancellationToken)
            .ConfigureAwait(false);
        var port = MasterProcess.FreePort();
        await StartDaemonsAsync(bin, port, cancellationToken).ConfigureAwait(false);
        await using var bus = await BusWatch.StartAsync(Path.Combine(MasterDir, "sock", "master.ipc"),
            $"(?:salt/beacon/{_id}/service/.*|salt/job/[0-9]+/new)", cancellationToken).ConfigureAwait(false);

        log($"state.apply nginx on {_id} (nginx on 127.0.0.1:{port})");
        var apply = await RunAsync(Path.Combine(bin, "orch"), cancellationToken, "-c", MasterDir, "-t", "120", "--state-output=terse", _id, "state.apply", "nginx")
            .ConfigureAwait(false);
        if (apply.Exit != 0)
        {
            throw new InvalidOperationException($"state.apply nginx failed:\n{apply.Output}");
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var url = $"http://127.0.0.1:{port}/";
        var samples = new List<KillSample>();
        await bus.WaitAsync(e => Running(e) == true, "the service beacon reporting nginx up", TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        await JitterAsync(cancellationToken).ConfigureAwait(false);
        for (var k = 1; k <= options.Kills; k++)
        {
            samples.Add(await KillOnceAsync(bus, http, url, cancellationToken).ConfigureAwait(false));
            var s = samples[^1];
            log($"kill {k}/{options.Kills}: beacon down after {s.DetectedMs:F0} ms, reactor's job after {s.ReactedMs:F0} ms, healthy after {s.HealthyMs:F0} ms");
            // The beacon reports changes only: the next kill must come after it has seen this master up.
            await bus.WaitAsync(e => Running(e) == true, "the service beacon reporting nginx up again", TimeSpan.FromSeconds(60), cancellationToken)
                .ConfigureAwait(false);
            await JitterAsync(cancellationToken).ConfigureAwait(false);
        }
        Console.WriteLine();
        Console.WriteLine(Render(samples, total.Elapsed));
        return 0;
    }

    /// <summary>
    /// Waits a random part of the beacon's interval: the "up" event comes right after a poll, so killing at once would
    /// always wait a whole interval for the next one, where a real crash falls anywhere between two polls.
    /// </summary>
    private Task JitterAsync(CancellationToken cancellationToken) =>
        Task.Delay(TimeSpan.FromSeconds(Random.Shared.NextDouble() * options.BeaconInterval), cancellationToken);

    private async Task<KillSample> KillOnceAsync(BusWatch bus, HttpClient http, string url, CancellationToken cancellationToken)
    {
        var killed = ReadPid() ?? throw new InvalidOperationException($"no nginx pid in {PidFile}");
        var start = Stopwatch.GetTimestamp();
        if (!Native.KillHard(killed))
        {
            throw new InvalidOperationException($"kill -KILL {killed} failed");
        }
        var timeout = TimeSpan.FromSeconds(60);
        var down = await bus.WaitAsync(e => Running(e) == false, "the service beacon reporting nginx down", timeout, cancellationToken).ConfigureAwait(false);
        var job = await bus.WaitAsync(
            e => e.Tag.StartsWith("salt/job/", StringComparison.Ordinal) && e.Data.GetValueOrDefault("fun") as string == "service.restart"
                && e.Data.GetValueOrDefault("tgt") as string == _id,
            "the reactor's service.restart job", timeout, cancellationToken).ConfigureAwait(false);
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!await HealthyAsync(http, url, killed, cancellationToken).ConfigureAwait(false))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"nginx did not serve {url} from a new master within {timeout.TotalSeconds:F0}s of the kill");
            }
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
        var healthy = Stopwatch.GetTimestamp();
        return new KillSample(Ms(start, down.ArrivedTicks), Ms(start, job.ArrivedTicks), Ms(start, healthy));
    }

    /// <summary>A new master (not the killed one) runs this instance's config, and the page answers 200 from it.</summary>
    private async Task<bool> HealthyAsync(HttpClient http, string url, int killed, CancellationToken cancellationToken)
    {
        if (ReadPid() is not { } pid || pid == killed)
        {
            return false;
        }
        try
        {
            var cmdline = await File.ReadAllTextAsync($"/proc/{pid}/cmdline", cancellationToken).ConfigureAwait(false);
            if (!cmdline.Contains(ConfFile, StringComparison.Ordinal))
            {
                return false;
            }
            using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or TaskCanceledException
            && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static bool? Running(BusEvent e) =>
        e.Tag.StartsWith("salt/beacon/", StringComparison.Ordinal)
        && e.Data.GetValueOrDefault("service_name") is string name && e.Data.GetValueOrDefault(name) is Dictionary<string, object?> status
            ? status.GetValueOrDefault("running") as bool?
            : null;

    private static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    private int? ReadPid() =>
        File.Exists(PidFile) && int.TryParse(File.ReadAllText(PidFile).Trim(), CultureInfo.InvariantCulture, out var pid) ? pid : null;

    private async Task StartDaemonsAsync(string bin, int nginxPort, CancellationToken cancellationToken)
    {
        var repo = Binaries.FindRepository() ?? throw new InvalidOperationException("cannot find the repository (Orchestrator.sln)");
        // nginx's workers (www-data) must reach the docroot inside the scratch dir.
        File.SetUnixFileMode(Root, (UnixFileMode)0b111_101_101);
        var trees = Path.Combine(Root, "trees");
        foreach (var tree in new[] { "states", "pillars", "reactor" })
        {
            CopyTree(Path.Combine(repo, tree), Path.Combine(trees, tree));
        }
        Rewrite(Path.Combine(trees, "pillars", "web.sls"), "{%- set nginx_port_base = 8180 %}", $"{{%- set nginx_port_base = {nginxPort - 1} %}}");
        Rewrite(Path.Combine(trees, "pillars", "web.sls"), "    - interval: 1\n", $"    - interval: {options.BeaconInterval}\n");
        Rewrite(Path.Combine(trees, "pillars", "common.sls"), "demo_root: /tmp/orch-demo", $"demo_root: {Path.Combine(Root, "demo")}");
        var (pub, ret) = (MasterProcess.FreePort(), MasterProcess.FreePort());
        Directory.CreateDirectory(MasterDir);
        // De-duplication off: each kill renders the same restart, and kills come faster than its window.
        await File.WriteAllTextAsync(Path.Combine(MasterDir, "master"), $"""
            interface: 127.0.0.1
            publish_port: {pub}
            ret_port: {ret}
            pki_dir: {Root}/m/pki
            cachedir: {Root}/m/cache
            sock_dir: {MasterDir}/sock
            auto_accept: true
            log_file: {Root}/m/master.log
            log_level: error
            log_level_logfile: info
            file_roots:
              base:
                - {trees}/states
            pillar_roots:
              base:
                - {trees}/pillars
            reactor:
              - 'salt/beacon/*/service/orch-nginx-*':
                - {trees}/reactor/heal-nginx.sls
            reactor_dedup_window: 0

            """, cancellationToken).ConfigureAwait(false);
        var minionDir = Path.Combine(Root, "minion");
        Directory.CreateDirectory(minionDir);
        await File.WriteAllTextAsync(Path.Combine(minionDir, "minion"), $"""
            id: {_id}
            master: 127.0.0.1
            master_port: {ret}
            publish_port: {pub}
            pki_dir: {Root}/n/pki
            cachedir: {Root}/n/cache
            log_file: {Root}/n/minion.log
            log_level: error
            log_level_logfile: info
            acceptance_wait_time: 1
            grains:
              roles:
                - web

            """, cancellationToken).ConfigureAwait(false);
        _daemons.Add(StartDaemon(Path.Combine(bin, "orch-master"), MasterDir));
        var socket = Path.Combine(MasterDir, "sock", "master.ipc");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(socket))
        {
            await WaitOrThrowAsync(deadline, "the master's socket", cancellationToken).ConfigureAwait(false);
        }
        _daemons.Add(StartDaemon(Path.Combine(bin, "orch-minion"), minionDir));
        while ((await RunAsync(Path.Combine(bin, "orch"), cancellationToken, "-c", MasterDir, "-t", "5", _id, "test.ping").ConfigureAwait(false)).Exit != 0)
        {
            await WaitOrThrowAsync(deadline, $"{_id} answering test.ping", cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WaitOrThrowAsync(DateTime deadline, string phase, CancellationToken cancellationToken)
    {
        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException($"timed out waiting for {phase}");
        }
        await Task.Delay(100, cancellationToken).ConfigureAwait(false);
    }

    private async Task CleanUpAsync()
    {
        // The nginx instance outlives the daemons: its init script stops it and the workers a killed master left.
        if (File.Exists(InitScript))
        {
            await RunAsync(InitScript, CancellationToken.None, "stop").ConfigureAwait(false);
            File.Delete(InitScript);
        }
        foreach (var daemon in Enumerable.Reverse(_daemons))
        {
            if (!daemon.HasExited)
            {
                Native.Terminate(daemon.Id);
                if (!daemon.WaitForExit(TimeSpan.FromSeconds(15)))
                {
                    daemon.Kill();
                }
            }
            daemon.Dispose();
        }
        if (!options.KeepWork)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort.
            }
        }
    }

    private static Process StartDaemon(string program, string configDir)
    {
        var info = new ProcessStartInfo(program, ["-c", configDir]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                Console.Error.WriteLine($"[{Path.GetFileName(program)}] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, CancellationToken cancellationToken, params string[] args)
    {
        var info = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not run {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
    }

    private static void CopyTree(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    private static void Rewrite(string file, string from, string to)
    {
        var text = File.ReadAllText(file);
        if (!text.Contains(from, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{file} no longer has '{from.Trim()}': update bench/Bench/Healing");
        }
        File.WriteAllText(file, text.Replace(from, to, StringComparison.Ordinal));
    }

    private string Render(List<KillSample> samples, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"orch-bench healing: {samples.Count} SIGKILLs of the nginx master, service beacon every {options.BeaconInterval}s (onchangeonly), kills at a random point between two polls, " +
            $"reactor local.service.restart, {Environment.ProcessorCount} cores, load average {LoadAverage()}, total {elapsed.TotalSeconds:F0}s");
        text.AppendLine();
        text.AppendLine("| from the kill to                         | median (ms) | p99 (ms) | min (ms) | max (ms) |");
        text.AppendLine("| ---                                      |        ---: |     ---: |     ---: |     ---: |");
        Row(text, "the beacon's down event on the master", samples.Select(s => s.DetectedMs));
        Row(text, "the reactor's service.restart published", samples.Select(s => s.ReactedMs));
        Row(text, "healthy: a new master serves the page", samples.Select(s => s.HealthyMs));
        return text.ToString();
    }

    private static void Row(StringBuilder text, string label, IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| {label,-40} | {Percentile(sorted, 50),11:F0} | {Percentile(sorted, 99),8:F0} | {sorted[0],8:F0} | {sorted[^1],8:F0} |");
    }

    /// <summary>Nearest rank: at 20 samples p99 is the slowest.</summary>
    private static double Percentile(List<double> sorted, int p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private sealed record KillSample(double DetectedMs, double ReactedMs, double HealthyMs);
}

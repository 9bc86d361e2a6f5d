using System.Diagnostics;
using System.Globalization;
using Orchestrator.Bench;
using Orchestrator.Bench.Fanout;
using Orchestrator.Bench.Healing;
using Orchestrator.Bench.Runner;
using Orchestrator.Bench.Swarm;

if (args.Length > 0 && args[0] == "swarm")
{
    return await SwarmProcess.RunAsync(ParseSwarm(args[1..]), SwarmIoThreads(args)).ConfigureAwait(false);
}
if (args.Length > 0 && args[0] == "healing")
{
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };
    return await HealingBenchmark.RunAsync(args[1..], stop.Token).ConfigureAwait(false);
}
if (args.Length > 0 && args[0] == "gitfs")
{
    return await Orchestrator.Bench.Gitfs.GitfsBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
}
if (args.Length > 0 && args[0] == "cloud")
{
    return await Orchestrator.Bench.Cloud.CloudBenchmark.RunAsync(args[1..], CancellationToken.None).ConfigureAwait(false);
}
if (args.Length > 0 && args[0] == "orchestrate")
{
    return await Orchestrator.Bench.Orchestration.OrchestrationBenchmark.RunAsync(args[1..], CancellationToken.None).ConfigureAwait(false);
}
if (args.Length > 0 && args[0] == "api")
{
    return await Orchestrator.Bench.Api.ApiBenchmark.RunAsync(args[1..], CancellationToken.None).ConfigureAwait(false);
}
if (args.Length > 0 && args[0] == "soak")
{
    return await Orchestrator.Bench.Soak.SoakCommand.RunAsync(args[1..]).ConfigureAwait(false);
}
if (args.Length > 0 && args[0] == "--events")
{
    return await Orchestrator.Bench.Events.EventsCommand.RunAsync(args[1..]).ConfigureAwait(false);
}
if (args.Length > 0 && args[0] == "handshake")
{
    return Orchestrator.Bench.Handshake.HandshakeCrypto.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "wire")
{
    return Orchestrator.Bench.Wire.WireCodecBench.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "fanout")
{
    Native.RaiseOpenFileLimit();
    return PublishFanout.Run(args.Length > 1 ? args[1] : "500,1000,2000,4000");
}

BenchOptions options;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(BenchOptions.Usage);
        return 0;
    }
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"orch-bench: {e.Message}\n\n{BenchOptions.Usage}");
    return 2;
}

void Log(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var total = Stopwatch.StartNew();

// File descriptors: the master holds two per minion; a swarm process about six per minion (each NetMQ socket's mailbox
// is a loopback socket pair). Raise the soft limit to the hard one (children inherit it) and size swarm processes to fit.
var (soft, hard) = Native.RaiseOpenFileLimit();
Log($"open-file limit: soft {soft}, hard {hard}");
const int FdsPerSimMinion = 6;
var fitting = (int)Math.Max(100, ((long)soft - 512) / FdsPerSimMinion);
if (options.ShardSize > fitting)
{
    Log($"--shard-size {options.ShardSize} needs ~{options.ShardSize * FdsPerSimMinion} descriptors per swarm process; using {fitting} per process");
    options.ShardSize = fitting;
}
var largest = options.Sizes.Max();
if ((long)largest * 2 + 512 > (long)soft)
{
    Log($"WARNING: the master needs ~{largest * 2 + 512} descriptors for {largest} minions but the limit is {soft}: " +
        "raise it (ulimit -n, or LimitNOFILE in a unit file) or expect refused connections at that size.");
}
CheckEphemeralPorts(largest, Log);

var keys = KeyCache.Ensure(options.KeyDirectory, options.KeysFor(largest), Log);
if (keys.Generated > 0)
{
    Log($"generated {keys.Generated} keys in {keys.Elapsed.TotalSeconds:F0}s (not part of any figure below)");
}

string bin;
try
{
    bin = await Binaries.ResolveAsync(options, Log, cancel.Token).ConfigureAwait(false);
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"orch-bench: {e.Message}");
    return 1;
}

Directory.CreateDirectory(options.WorkDirectory);
var results = new List<SizeResult>();
ProcessProbes.Results? probes = null;
try
{
    var bench = new SwarmBenchmark(options, bin, Log);
    foreach (var n in options.Sizes)
    {
        Log($"== {n} minions ==");
        results.Add(await bench.RunAsync(n, cancel.Token).ConfigureAwait(false));
    }
    if (options.Probes)
    {
        Log("== real processes ==");
        probes = await new ProcessProbes(options, bin, Log).RunAsync(cancel.Token).ConfigureAwait(false);
    }
}
catch (OperationCanceledException)
{
    Log("interrupted: printing what was measured");
}
finally
{
    if (!options.KeepWork)
    {
        try
        {
            Directory.Delete(options.WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}

var header = string.Create(CultureInfo.InvariantCulture,
    $"orch-bench: {Environment.ProcessorCount} cores, load average {LoadAverage()} at the end, .NET {Environment.Version}, " +
    $"{(options.KeyPool > 0 ? $"keys reused round-robin from a pool of {options.KeyPool}" : "one RSA key per minion")}, heartbeat {options.HeartbeatSeconds}s, publish_retry_interval {options.PublishRetryMs} ms, publish_fanout {options.PublishFanout}, {options.Loops} poller threads per swarm process, " +
    $"total {total.Elapsed.TotalSeconds:F0}s");
Console.WriteLine();
Console.WriteLine(Report.Render(results, probes, header));
return results.Any(r => r.Error is not null) ? 1 : 0;

static string LoadAverage()
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

static void CheckEphemeralPorts(int minions, Action<string> log)
{
    try
    {
        var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var ports = int.Parse(range[1], CultureInfo.InvariantCulture) - int.Parse(range[0], CultureInfo.InvariantCulture) + 1;
        // Two real connections and two mailbox socket pairs per simulated minion, all on loopback.
        if (minions * 4 > ports)
        {
            log($"WARNING: {minions} simulated minions use ~{minions * 4} loopback ephemeral ports; net.ipv4.ip_local_port_range offers {ports}");
        }
    }
    catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
    {
        // Not Linux, or no procfs: nothing to check.
    }
}

static int SwarmIoThreads(string[] args)
{
    var i = Array.IndexOf(args, "--io-threads");
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 1;
}

static SwarmSettings ParseSwarm(string[] args)
{
    var map = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        map[args[i]] = args[i + 1];
    }
    int Int(string key) => int.Parse(map[key], CultureInfo.InvariantCulture);
    return new SwarmSettings(
        map["--master"], Int("--ret-port"), Int("--publish-port"), map["--finger"], map["--keys"], Int("--key-pool"), Int("--first"), Int("--count"),
        Int("--loops"), Int("--auth-concurrency"), TimeSpan.FromSeconds(Int("--heartbeat")), TimeSpan.FromSeconds(10),
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), map.GetValueOrDefault("--wait-start") == "1");
}

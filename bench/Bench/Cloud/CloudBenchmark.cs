using System.Diagnostics;
using System.Globalization;
using Orchestrator.Bench.Healing;
using Orchestrator.Bench.Runner;
using Orchestrator.Shared.Ipc;

namespace Orchestrator.Bench.Cloud;

/// <summary>
/// <c>orch-bench cloud</c>: creates nodes with the <c>local</c> driver on a real master whose reactor runs the repository's
/// reactor/cloud-highstate.sls on <c>salt/cloud/*/created</c>, and times, from the <c>cloud.create</c> call, the node's
/// <c>salt/minion/&lt;name&gt;/start</c>, its <c>created</c> event and the return of its highstate (one file.managed);
/// each node is destroyed before the next.
/// </summary>
public static class CloudBenchmark
{
    private sealed record Sample(double StartMs, double CreatedMs, double HighstateMs);

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (SubcommandOptions.Parse(args, "orch-bench cloud", CloudBenchOptions.Usage, CloudBenchOptions.Parse, out var exit) is not { } options)
        {
            return exit;
        }
        void Log(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
        try
        {
            return await MeasureAsync(options, Log, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Console.Error.WriteLine($"orch-bench cloud: {e.Message} (logs in {options.WorkDirectory})");
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

    private static async Task<int> MeasureAsync(CloudBenchOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        var root = options.WorkDirectory;
        var bin = await Binaries.ResolveAsync(new BenchOptions { BinDirectory = options.BinDirectory, WorkDirectory = root }, log, cancellationToken)
            .ConfigureAwait(false);
        var repo = Binaries.FindRepository() ?? throw new InvalidOperationException("cannot find the repository (reactor/cloud-highstate.sls)");
        var states = Path.Combine(root, "states");
        Directory.CreateDirectory(states);
        await File.WriteAllTextAsync(Path.Combine(states, "top.sls"), "base:\n  '*':\n    - node\n", cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(states, "node.sls"),
            $"configured:\n  file.managed:\n    - name: {root}/managed/{{{{ grains['id'] }}}}\n    - contents: configured\n    - makedirs: True\n",
            cancellationToken).ConfigureAwait(false);
        var config = $"""
            file_roots:
              base:
                - {states}
            reactor:
              - 'salt/cloud/*/created':
                - {Path.Combine(repo, "reactor", "cloud-highstate.sls")}
            cloud_providers:
              bench-local:
                driver: local
            cloud_profiles:
              node:
                provider: bench-local
            """;
        await using var master = await MasterProcess.StartAsync(bin, Path.Combine(root, "master"), new BenchOptions(), cancellationToken, config)
            .ConfigureAwait(false);
        await using var client = await master.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var samples = new List<Sample>();
        for (var n = 1; n <= options.Nodes; n++)
        {
            var name = $"cloudbench{n}";
            await using var bus = await BusWatch.StartAsync(master.SocketPath, $"(?:salt/minion/{name}/start|salt/cloud/{name}/created|salt/job/[0-9]+/ret/{name})",
                cancellationToken).ConfigureAwait(false);
            var started = Stopwatch.GetTimestamp();
            await RunnerAsync(client, "cloud.create", ["node", name], cancellationToken).ConfigureAwait(false);
            var timeout = TimeSpan.FromSeconds(120);
            var start = await bus.WaitAsync(e => e.Tag.EndsWith("/start", StringComparison.Ordinal), $"{name}'s start event", timeout, cancellationToken).ConfigureAwait(false);
            var created = await bus.WaitAsync(e => e.Tag.EndsWith("/created", StringComparison.Ordinal), $"{name}'s created event", timeout, cancellationToken).ConfigureAwait(false);
            var highstate = await bus.WaitAsync(e => e.Data.GetValueOrDefault("fun") is "state.apply", $"{name}'s highstate return", timeout, cancellationToken)
                .ConfigureAwait(false);
            if (highstate.Data.GetValueOrDefault("success") is not true || highstate.Data.GetValueOrDefault("retcode") is not 0L)
            {
                throw new InvalidOperationException($"{name}'s highstate failed: {Orchestrator.Shared.Data.DataTree.ToJson(highstate.Data.GetValueOrDefault("return"))}");
            }
            double Ms(BusEvent e) => Stopwatch.GetElapsedTime(started, e.ArrivedTicks).TotalMilliseconds;
            samples.Add(new Sample(Ms(start), Ms(created), Ms(highstate)));
            log(string.Create(CultureInfo.InvariantCulture,
                $"{name}: start {samples[^1].StartMs:F0} ms, created {samples[^1].CreatedMs:F0} ms, highstate returned {samples[^1].HighstateMs:F0} ms"));
            await RunnerAsync(client, "cloud.destroy", [name], cancellationToken).ConfigureAwait(false);
        }
        static string Column(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return string.Create(CultureInfo.InvariantCulture, $"{sorted[sorted.Count / 2],8:F0} ({sorted[0]:F0}-{sorted[^1]:F0})");
        }
        Console.WriteLine();
        Console.WriteLine($"cloud.create with the local driver, {options.Nodes} node(s) one after another; ms from the call, median (min-max)");
        Console.WriteLine($"minion start event  {Column(samples.Select(s => s.StartMs))}");
        Console.WriteLine($"created event       {Column(samples.Select(s => s.CreatedMs))}");
        Console.WriteLine($"highstate returned  {Column(samples.Select(s => s.HighstateMs))}");
        return 0;
    }

    private static async Task RunnerAsync(MasterClient client, string function, List<object?> args, CancellationToken cancellationToken)
    {
        var result = await client.CallAsync("runner", new()
        {
            ["fun"] = function,
            ["arg"] = args,
            ["kwarg"] = new Dictionary<string, object?>(StringComparer.Ordinal),
        }, cancellationToken).ConfigureAwait(false);
        if (result.GetValueOrDefault("retcode") is not 0L || result.ContainsKey("error"))
        {
            throw new InvalidOperationException($"{function} failed: {Orchestrator.Shared.Data.DataTree.ToJson(result)}");
        }
    }
}

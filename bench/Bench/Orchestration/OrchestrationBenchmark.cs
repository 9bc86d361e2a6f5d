using System.Diagnostics;
using System.Globalization;
using System.Text;
using Orchestrator.Bench.Events;
using Orchestrator.Bench.Runner;
using Orchestrator.Shared.Ipc;

namespace Orchestrator.Bench.Orchestration;

/// <summary>
/// <c>orch-bench orchestrate</c>: times <c>state.orchestrate</c> of N chained <c>salt.function test.ping</c> steps against
/// the same N publishes of <c>test.ping</c> made directly through the master's socket, on the same real master and
/// minions; the difference per step is what orchestration adds (the master minion, SLS render, the engine, judging).
/// </summary>
public static class OrchestrationBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (SubcommandOptions.Parse(args, "orch-bench orchestrate", OrchestrationOptions.Usage, OrchestrationOptions.Parse, out var exit) is not { } options)
        {
            return exit;
        }
        void Log(string line) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
        var root = options.WorkDirectory;
        try
        {
            return await MeasureAsync(options, root, Log, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Console.Error.WriteLine($"orch-bench orchestrate: {e.Message} (logs in {root})");
            return 1;
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, true);
            }
        }
    }

    private static async Task<int> MeasureAsync(OrchestrationOptions options, string root, Action<string> log, CancellationToken cancellationToken)
    {
        var bin = await Binaries.ResolveAsync(new BenchOptions { BinDirectory = options.BinDirectory, WorkDirectory = root }, log, cancellationToken)
            .ConfigureAwait(false);
        var states = Path.Combine(root, "states", "orch");
        Directory.CreateDirectory(states);
        foreach (var steps in options.Steps)
        {
            var sls = new StringBuilder();
            for (var i = 0; i < steps; i++)
            {
                sls.Append(CultureInfo.InvariantCulture, $"step{i}:\n  salt.function:\n    - name: test.ping\n    - tgt: 'bench*'\n");
                if (i > 0)
                {
                    sls.Append(CultureInfo.InvariantCulture, $"    - require:\n      - salt: step{i - 1}\n");
                }
            }
            await File.WriteAllTextAsync(Path.Combine(states, $"steps{steps}.sls"), sls.ToString(), cancellationToken).ConfigureAwait(false);
        }
        await using var master = await MasterProcess.StartAsync(bin, Path.Combine(root, "master"), new BenchOptions(), cancellationToken,
            $"file_roots:\n  base:\n    - {Path.Combine(root, "states")}").ConfigureAwait(false);
        var minions = new List<RealMinion>();
        try
        {
            for (var m = 1; m <= options.Minions; m++)
            {
                minions.Add(await RealMinion.StartAsync(bin, master, Path.Combine(root, $"bench{m}"), $"bench{m}", cancellationToken).ConfigureAwait(false));
            }
            log($"master and {options.Minions} minion(s) up; {options.Repeats} runs per size");
            await using var client = await master.ConnectAsync(cancellationToken).ConfigureAwait(false);
            // Warm both paths (JIT, the master minion's grains) before timing.
            await OrchestrateAsync(client, options.Steps[0], cancellationToken).ConfigureAwait(false);
            await IpcPing.RunAsync(client, options.Minions, cancellationToken).ConfigureAwait(false);
            var rows = new List<string>();
            foreach (var steps in options.Steps)
            {
                var orchestrated = new List<double>();
                var direct = new List<double>();
                for (var r = 0; r < options.Repeats; r++)
                {
                    orchestrated.Add(await OrchestrateAsync(client, steps, cancellationToken).ConfigureAwait(false));
                    var clock = Stopwatch.StartNew();
                    for (var i = 0; i < steps; i++)
                    {
                        await IpcPing.RunAsync(client, options.Minions, cancellationToken).ConfigureAwait(false);
                    }
                    direct.Add(clock.Elapsed.TotalMilliseconds);
                }
                var o = Median(orchestrated);
                var d = Median(direct);
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{steps,5}  {o,10:F1} ({orchestrated.Min():F1}-{orchestrated.Max():F1})  {d,10:F1} ({direct.Min():F1}-{direct.Max():F1})  {o / steps,12:F2}  {(o - d) / steps,14:F2}"));
            }
            Console.WriteLine();
            Console.WriteLine($"orchestration of N chained salt.function test.ping steps, each to {options.Minions} minion(s); ms, median (min-max) of {options.Repeats}");
            Console.WriteLine("steps  state.orchestrate               N x publish test.ping        ms per step   overhead/step");
            rows.ForEach(Console.WriteLine);
            return 0;
        }
        finally
        {
            foreach (var minion in minions)
            {
                await minion.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static async Task<double> OrchestrateAsync(MasterClient client, int steps, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var result = await client.CallAsync("runner", new()
        {
            ["fun"] = "state.orchestrate",
            ["arg"] = new List<object?> { $"orch.steps{steps}" },
            ["kwarg"] = new Dictionary<string, object?>(StringComparer.Ordinal),
        }, cancellationToken).ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (result.GetValueOrDefault("retcode") is not 0L)
        {
            throw new InvalidOperationException($"state.orchestrate orch.steps{steps} failed: {Orchestrator.Shared.Data.DataTree.ToJson(result.GetValueOrDefault("return"))}");
        }
        return elapsed;
    }
}

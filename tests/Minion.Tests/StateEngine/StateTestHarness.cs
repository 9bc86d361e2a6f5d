using Orchestrator.Testing;
using Orchestrator.Shared.Rendering;
using Orchestrator.Minion.Modules;
using Orchestrator.Minion.Modules.States;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Minion.StateEngine.Local;

namespace Orchestrator.Minion.Tests.StateEngine;

internal sealed class StateTestHarness
{
    public StateTestHarness(string root, IEnumerable<IExecutionModule>? extraModules = null)
    {
        Root = root;
        Cmd = new FakeCmdModule();
        Modules = new ExecutionModuleRegistry().Add(Cmd);
        foreach (var module in extraModules ?? [])
        {
            Modules.Add(module);
        }
        Files = new LocalFileClient(new Dictionary<string, IReadOnlyList<string>> { ["base"] = [root] });
        States = new StateModuleRegistry().AddBuiltinStateModules();
        Context = new ModuleContext
        {
            MinionId = "acc-local",
            Grains = new Dictionary<string, object?> { ["id"] = "acc-local" },
            Opts = new Dictionary<string, object?>(),
            Modules = Modules,
            CacheDir = NewCacheDir(),
            Files = Files,
        };
        Host = new StateEngineHost(States, new FileClientSlsSource(Files), new SlsRenderPipeline());
    }

    private static readonly List<TempDir> _caches = [];

    /// <summary>
    /// A cache directory of this harness's own, so no two tests (or two test runs) share one; all are deleted when the test
    /// process exits, since harnesses are not disposed.
    /// </summary>
    private static string NewCacheDir()
    {
        lock (_caches)
        {
            if (_caches.Count == 0)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                {
                    lock (_caches)
                    {
                        _caches.ForEach(c => c.Dispose());
                    }
                };
            }
            var cache = new TempDir();
            _caches.Add(cache);
            return cache.Path;
        }
    }

    public string Root { get; }

    public FakeCmdModule Cmd { get; }

    public ExecutionModuleRegistry Modules { get; }

    public LocalFileClient Files { get; }

    public StateModuleRegistry States { get; }

    public ModuleContext Context { get; }

    public StateEngineHost Host { get; }

    public Task<StateRunResult> ApplyAsync(string sls, bool test = false, bool failhard = false) =>
        Host.ApplyAsync(
            new Dictionary<string, List<string>> { ["base"] = [.. sls.Split(',')] },
            new StateRunOptions { Context = Context, Test = test, Failhard = failhard, Delay = (_, _) => Task.CompletedTask },
            CancellationToken.None);

    public ISlsTemplateRenderer? Renderer { get; set; }

    /// <summary>Runs one state function (like state.single) and returns its result.</summary>
    public async Task<Dictionary<string, object?>> RunAsync(string function, string name, Dictionary<string, object?>? args = null, bool test = false)
    {
        var dot = function.IndexOf('.', StringComparison.Ordinal);
        var low = new Dictionary<string, object?>
        {
            ["state"] = function[..dot],
            ["fun"] = function[(dot + 1)..],
            ["name"] = name,
            ["__id__"] = name,
            ["__sls__"] = "test",
            ["__env__"] = "base",
        };
        foreach (var (k, v) in args ?? [])
        {
            low[k] = v;
        }
        var runner = new StateRunner(States, new StateRunOptions { Context = Context, Test = test, Renderer = Renderer, Delay = (_, _) => Task.CompletedTask });
        var result = await runner.RunChunksAsync([low], CancellationToken.None);
        return result.States.Values.Single();
    }

    public static async Task<StateRunResult> ApplyTextAsync(string slsText, bool test = false)
    {
        var dir = Directory.CreateTempSubdirectory("orch-sls-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "case.sls"), slsText);
            return await new StateTestHarness(dir.FullName).ApplyAsync("case", test);
        }
        finally
        {
            dir.Delete(true);
        }
    }
}

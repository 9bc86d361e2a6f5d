using Orchestrator.Shared.States;
using Orchestrator.Minion.Modules;
using Orchestrator.Minion.Modules.Execution;
using Orchestrator.Minion.Modules.States;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.StateEngine;

public class StateModuleTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly StateTestHarness _harness;

    public StateModuleTests()
    {
        File.WriteAllText(_dir.Combine("top.sls"), "base:\n  'acc-*':\n    - web\n  'other':\n    - db\n");
        File.WriteAllText(_dir.Combine("web.sls"), "hello:\n  test.succeed_with_changes\n");
        File.WriteAllText(_dir.Combine("db.sls"), "db:\n  test.fail_without_changes\n");
        File.WriteAllText(_dir.Combine("pil.sls"), "#!yaml\nshow:\n  test.nop\n");
        _harness = new StateTestHarness(_dir.Path);
        _harness.Modules.Add(new StateModule(new StateModuleRegistry().AddBuiltinStateModules()));
    }

    public void Dispose() => _dir.Dispose();

    private Task<FunctionResult> Call(string fun, IReadOnlyList<object?> args, Dictionary<string, object?>? kwargs = null) =>
        _harness.Modules.InvokeAsync(fun, args, kwargs ?? [], _harness.Context, CancellationToken.None);

    [Fact]
    public async Task Apply_NoArgs_RunsTopFileMatches()
    {
        var result = await Call("state.apply", []);
        var ret = Assert.IsType<Dictionary<string, object?>>(result.Return);
        Assert.Equal(["test_|-hello_|-hello_|-succeed_with_changes"], ret.Keys);
        Assert.Equal(0, result.Retcode);
    }

    [Fact]
    public async Task Sls_FailingState_Retcode2()
    {
        var result = await Call("state.sls", ["db"]);
        Assert.Equal(2, result.Retcode);
    }

    [Fact]
    public async Task Sls_TestMode_ResultNone()
    {
        var result = await Call("state.sls", ["web"], new() { ["test"] = true });
        var ret = (Dictionary<string, object?>)result.Return!;
        Assert.Null(((Dictionary<string, object?>)ret.Values.First()!)["result"]);
    }

    [Fact]
    public async Task Sls_Missing_CompileErrorRetcode1()
    {
        var result = await Call("state.sls", ["nope"]);
        Assert.Equal(1, result.Retcode);
        Assert.Equal(["No matching sls found for 'nope' in env 'base'"], Assert.IsType<List<object?>>(result.Return));
    }

    [Fact]
    public async Task Single_RunsOneState()
    {
        var result = await Call("state.single", ["test.succeed_with_changes"], new() { ["name"] = "x" });
        var ret = (Dictionary<string, object?>)result.Return!;
        Assert.Equal("test_|-x_|-x_|-succeed_with_changes", ret.Keys.Single());
    }

    [Fact]
    public async Task ShowTop_ListsMatchedSls()
    {
        var result = await Call("state.show_top", []);
        var ret = (Dictionary<string, object?>)result.Return!;
        Assert.Equal(["web"], (List<object?>)ret["base"]!);
    }

    [Fact]
    public async Task ShowLowstate_ReturnsChunks()
    {
        var result = await Call("state.show_lowstate", []);
        var chunk = (Dictionary<string, object?>)((List<object?>)result.Return!).Single()!;
        Assert.Equal("succeed_with_changes", chunk["fun"]);
        Assert.Equal(10000L, chunk["order"]);
    }

    [Fact]
    public async Task ShowGraph_Run_ColoursNodes()
    {
        var result = await Call("state.show_graph", [], new() { ["mods"] = "web", ["run"] = true });
        var dot = Assert.IsType<string>(result.Return);
        Assert.StartsWith("digraph", dot);
        Assert.Contains("lightblue", dot);
    }

    [Fact]
    public async Task Sls_PillarFromSourceAndOverride_ReachStates()
    {
        Directory.CreateDirectory(_dir.Combine("pillar"));
        File.WriteAllText(_dir.Combine("pillar", "top.sls"), "base:\n  '*':\n    - data\n");
        File.WriteAllText(_dir.Combine("pillar", "data.sls"), "motd: from-pillar\nother: kept\n");
        var target = _dir.Combine("motd.txt");
        File.WriteAllText(_dir.Combine("motd.sls"), $"motd:\n  file.managed:\n    - name: {target}\n    - contents_pillar: motd\n");
        var context = new ModuleContext
        {
            MinionId = "acc-local",
            Grains = _harness.Context.Grains,
            Opts = _harness.Context.Opts,
            Modules = _harness.Modules,
            CacheDir = _harness.Context.CacheDir,
            Files = _harness.Files,
            PillarSource = new Orchestrator.Minion.StateEngine.Local.LocalPillarSource(
                new Dictionary<string, List<string>> { ["base"] = [_dir.Combine("pillar")] }, "acc-local"),
        };
        var first = await _harness.Modules.InvokeAsync("state.sls", ["motd"], new Dictionary<string, object?>(), context, CancellationToken.None);
        Assert.Equal(0, first.Retcode);
        Assert.Equal("from-pillar\n", File.ReadAllText(target));
        await _harness.Modules.InvokeAsync("state.sls", ["motd"],
            new Dictionary<string, object?> { ["pillar"] = new Dictionary<string, object?> { ["motd"] = "override" } }, context, CancellationToken.None);
        Assert.Equal("override\n", File.ReadAllText(target));
    }

    [Fact]
    public async Task ShowSls_ReturnsHighData()
    {
        var result = await Call("state.show_sls", ["pil"]);
        var high = (Dictionary<string, object?>)result.Return!;
        Assert.Equal("pil", ((Dictionary<string, object?>)high["show"]!)["__sls__"]);
    }
}

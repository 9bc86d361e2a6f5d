using Orchestrator.Minion.StateEngine;
using Orchestrator.Minion.StateEngine.Requisites;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.StateEngine.Requisites;

public class RequisiteGraphTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<(RequisiteGraph Graph, List<string> Errors)> GraphAsync(string sls)
    {
        File.WriteAllText(_dir.Combine("case.sls"), sls);
        var harness = new StateTestHarness(_dir.Path);
        var (high, renderErrors) = await harness.Host.BuildHighAsync(new Dictionary<string, List<string>> { ["base"] = ["case"] }, default);
        Assert.Empty(renderErrors);
        var (chunks, errors) = StateEngineHost.Compile(high);
        var runner = new StateRunner(harness.States, new StateRunOptions { Context = harness.Context });
        return (runner.GraphOf(chunks), errors);
    }

    private static List<List<string>> CycleIds(RequisiteGraph graph) =>
        graph.Cycles.Select(c => c.Select(n => n.Id).ToList()).ToList();

    [Fact]
    public async Task TwoStateMutualRequire_IsReportedAtCompileTime_AndIsACycleOfTheGraph()
    {
        const string sls = "alpha:\n  test.nop:\n    - require:\n      - test: beta\nbeta:\n  test.nop:\n    - require:\n      - test: alpha\n";

        var (graph, errors) = await GraphAsync(sls);

        // Salt stops this one in verify_high, before anything runs.
        Assert.Equal(["A recursive requisite was found, SLS \"case\" ID \"beta\" ID \"alpha\""], errors);
        Assert.Empty(graph.Nodes);
    }

    [Fact]
    public async Task ThreeStateRing_IsOneCycle_AndTheStateOutsideIsNot()
    {
        const string sls = "a:\n  test.nop:\n    - require:\n      - test: b\nb:\n  test.nop:\n    - require:\n      - test: c\n"
            + "c:\n  test.nop:\n    - require:\n      - test: a\nafter:\n  test.nop:\n    - require:\n      - test: a\n";

        var (graph, errors) = await GraphAsync(sls);

        Assert.Empty(errors);
        Assert.Equal([["a", "b", "c"]], CycleIds(graph));
    }

    [Fact]
    public async Task ThreeStateRing_AtRunTime_FailsAsSaltDoes()
    {
        const string sls = "a:\n  test.nop:\n    - require:\n      - test: b\nb:\n  test.nop:\n    - require:\n      - test: c\n"
            + "c:\n  test.nop:\n    - require:\n      - test: a\n";
        File.WriteAllText(_dir.Combine("case.sls"), sls);

        var result = await new StateTestHarness(_dir.Path).ApplyAsync("case");

        var comments = result.Ordered.Select(kv => $"{kv.Value["__id__"]}: {kv.Value["comment"]}").ToList();
        Assert.Equal(["c: Recursive requisite found", "b: One or more requisite failed: case.c", "a: One or more requisite failed: case.b"], comments);
        Assert.Equal(2, result.Retcode);
    }

    [Fact]
    public async Task PrereqAndItsPrerequiredEdge_AreNoCycle()
    {
        const string sls = "stop:\n  test.succeed_with_changes:\n    - prereq:\n      - test: upgrade\nupgrade:\n  test.succeed_with_changes: []\n";

        var (graph, _) = await GraphAsync(sls);

        Assert.Empty(graph.Cycles);
        var upgrade = graph.Nodes.Single(n => n.Id == "upgrade");
        Assert.Equal(["stop"], graph.EdgesOf(upgrade).Where(e => e.Kind == RequisiteKind.Prerequired).SelectMany(e => e.Targets).Select(t => t.Id));
    }

    [Fact]
    public async Task PrereqOnAStateThatRequiresThePrereqingOne_IsACycle()
    {
        // upgrade's test run must come before stop (prereq), and upgrade (its test run too) after mid, which is after stop.
        const string sls = "stop:\n  test.nop:\n    - prereq:\n      - test: upgrade\nmid:\n  test.nop:\n    - require:\n      - test: stop\n"
            + "upgrade:\n  test.nop:\n    - require:\n      - test: mid\n";

        var (graph, errors) = await GraphAsync(sls);

        Assert.Empty(errors);
        Assert.Equal([["stop", "mid", "upgrade"]], CycleIds(graph));
    }

    [Fact]
    public async Task MissingTarget_IsALostEdge()
    {
        var (graph, _) = await GraphAsync("a:\n  test.nop:\n    - require:\n      - test: nowhere\n      - sls: case\n");

        var lost = graph.LostEdges(graph.Nodes[0]).Single();
        Assert.Equal(RequisiteKind.Require, lost.Kind);
        Assert.Equal("test: nowhere", lost.Reference.ToString());
    }

    [Fact]
    public async Task WatchOnAStateWithoutModWatch_BecomesRequire()
    {
        // file has no mod_watch in Salt; test and cmd do.
        var (graph, _) = await GraphAsync(
            "src:\n  test.nop: []\nf:\n  file.absent:\n    - name: /nonexistent/x\n    - watch:\n      - test: src\nt:\n  test.nop:\n    - watch:\n      - test: src\n");

        var file = graph.Nodes.Single(n => n.Id == "f");
        var test = graph.Nodes.Single(n => n.Id == "t");
        Assert.False(file.Has("watch"));
        Assert.Equal([RequisiteKind.Require], graph.EdgesOf(file).Select(e => e.Kind));
        Assert.Equal([RequisiteKind.Watch], graph.EdgesOf(test).Select(e => e.Kind));
    }

    [Fact]
    public async Task GlobAndSlsReferences_MatchEveryChunkInOrder()
    {
        var (graph, _) = await GraphAsync(
            "web1:\n  test.nop: []\nweb2:\n  test.nop: []\ndb:\n  test.nop: []\nall:\n  test.nop:\n    - require:\n      - test: web*\n    - onchanges:\n      - sls: case\n");

        var all = graph.Nodes.Single(n => n.Id == "all");
        Assert.Equal(["web1", "web2"], graph.EdgesOf(all).Single(e => e.Kind == RequisiteKind.Require).Targets.Select(t => t.Id));
        Assert.Equal(["web1", "web2", "db", "all"], graph.EdgesOf(all).Single(e => e.Kind == RequisiteKind.Onchanges).Targets.Select(t => t.Id));
    }

    [Fact]
    public async Task WithRequisites_IsTheTransitiveClosureInRunOrder()
    {
        var (graph, _) = await GraphAsync(
            "a:\n  test.nop: []\nb:\n  test.nop:\n    - require:\n      - test: a\nunrelated:\n  test.nop: []\nc:\n  test.nop:\n    - onchanges:\n      - test: b\n");

        var selected = graph.WithRequisites([graph.Nodes.Single(n => n.Id == "c").Data]);

        Assert.Equal(["a", "b", "c"], selected.Select(LowChunk.TagOf).Select(t => t.Split("_|-")[1]));
    }

    [Fact]
    public void LongRing_IsOneCycle_FoundWithoutRecursion()
    {
        var chunks = Enumerable.Range(0, 20_000).Select(i =>
        {
            var low = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["state"] = "test", ["fun"] = "nop", ["__id__"] = $"s{i}", ["name"] = $"s{i}", ["__sls__"] = "case",
            };
            if (i > 0)
            {
                low["require"] = new List<object?> { new Dictionary<string, object?> { ["test"] = $"s{i - 1}" } };
            }
            return low;
        }).ToList();
        chunks[0]["require"] = new List<object?> { new Dictionary<string, object?> { ["test"] = "s19999" } };

        var graph = RequisiteGraph.Build(chunks, _ => true);

        Assert.Single(graph.Cycles);
        Assert.Equal(20_000, graph.Cycles[0].Count);
    }

    [Fact]
    public async Task ListenAndListenIn_AreResolvedExactly_AndAMissingTargetIsKept()
    {
        var (graph, _) = await GraphAsync(
            "conf:\n  test.succeed_with_changes: []\nsvc:\n  test.nop:\n    - listen:\n      - test: conf\n      - test: nowhere\n      - test: con*\n"
            + "other:\n  test.succeed_with_changes:\n    - listen_in:\n      - test: svc\n");

        var links = graph.Listens.Select(l => $"{l.Watched?.Id ?? "-"} -> {string.Join(",", l.Listeners.Select(n => n.Id))} ({l.Missing.State}: {l.Missing.Id})").ToList();

        // A glob is no listen target in Salt: it is reported missing like an unknown ID.
        Assert.Equal(["conf -> svc (test: svc)", "- ->  (test: nowhere)", "- ->  (test: con*)", "other -> svc (test: svc)"], links);
    }
}

using Orchestrator.Minion.Modules;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.StateEngine;

public class StateRunnerTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<StateRunResult> ApplyAsync(string sls, bool test = false, List<TimeSpan>? delays = null)
    {
        File.WriteAllText(_dir.Combine("case.sls"), sls);
        var h = new StateTestHarness(_dir.Path);
        return await h.Host.ApplyAsync(
            new Dictionary<string, List<string>> { ["base"] = ["case"] },
            new StateRunOptions
            {
                Context = h.Context,
                Test = test,
                Delay = (d, _) =>
                {
                    delays?.Add(d);
                    return Task.CompletedTask;
                },
            },
            default);
    }

    private static Dictionary<string, object?> Get(StateRunResult r, string id) =>
        r.States.Values.Single(v => (string?)v.GetValueOrDefault("__id__") == id);

    [Fact]
    public async Task Retry_Interval_WaitsBetweenAttempts()
    {
        var delays = new List<TimeSpan>();
        var r = await ApplyAsync("f:\n  test.fail_without_changes:\n    - retry:\n        attempts: 3\n        interval: 2\n", delays: delays);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)], delays);
        Assert.Equal(2L, Get(r, "f")["__run_num__"]);
    }

    [Fact]
    public async Task Retry_TestMode_DescribesRetry()
    {
        var r = await ApplyAsync("f:\n  test.succeed_with_changes:\n    - retry: True\n", test: true);
        Assert.Equal("If we weren't testing, this would be successful with changes  The state would be retried every 30 seconds (with a splay of up to 0 seconds) a maximum of 2 times or until a result of True is returned",
            Get(r, "f")["comment"]);
    }

    [Fact]
    public async Task Parallel_StatesRunAndReconcile()
    {
        var r = await ApplyAsync("a:\n  cmd.run:\n    - name: sleep 0.2; echo a\n    - parallel: True\nb:\n  cmd.run:\n    - name: sleep 0.2; echo b\n    - parallel: True\nc:\n  test.nop:\n    - require:\n      - cmd: a\n");
        Assert.Equal("Command \"sleep 0.2; echo a\" run", Get(r, "a")["comment"]);
        Assert.Equal(true, Get(r, "b")["result"]);
        Assert.Equal(true, Get(r, "c")["result"]);
    }

    [Fact]
    public async Task OnlyIf_FunForm_UsesModuleReturn()
    {
        var r = await ApplyAsync("a:\n  test.succeed_with_changes:\n    - onlyif:\n      - fun: cmd.retcode\n        cmd: exit 0\n");
        Assert.Equal("onlyif condition is false", Get(r, "a")["comment"]);
    }

    [Fact]
    public async Task Unless_FunForm_TruthyReturnSkips()
    {
        var r = await ApplyAsync("a:\n  test.succeed_with_changes:\n    - unless:\n      - fun: cmd.retcode\n        cmd: exit 3\n");
        Assert.Equal("unless condition is true", Get(r, "a")["comment"]);
    }

    [Fact]
    public async Task Creates_ExistingFile_Skips()
    {
        File.WriteAllText(_dir.Combine("marker"), "");
        var r = await ApplyAsync($"a:\n  test.succeed_with_changes:\n    - creates: {_dir.Combine("marker")}\n");
        Assert.Equal($"{_dir.Combine("marker")} exists", Get(r, "a")["comment"]);
    }

    [Fact]
    public async Task UnknownState_FailsWithReason()
    {
        var r = await ApplyAsync("a:\n  nosuch.thing\n");
        Assert.Equal("State 'nosuch.thing' was not found in SLS 'case'\nReason: 'nosuch.thing' is not available.\n", Get2(r)["comment"]);
    }

    private static Dictionary<string, object?> Get2(StateRunResult r) => r.States.Values.Single();

    [Fact]
    public async Task MissingRequiredParameter_Fails()
    {
        var r = await ApplyAsync("a:\n  file.symlink\n");
        Assert.Equal("Missing parameter target for state file.symlink\n", Get2(r)["comment"]);
    }

    [Fact]
    public async Task RequireSelf_CompileErrorLikeSalt()
    {
        var r = await ApplyAsync("a:\n  test.nop:\n    - require:\n      - test: a\n");
        Assert.Equal(["A recursive requisite was found, SLS \"case\" ID \"a\" ID \"a\""], r.Errors);
        Assert.Equal(1, r.Retcode);
    }

    [Fact]
    public async Task RequireSelfByName_RecursiveRequisiteAtRun()
    {
        var r = await ApplyAsync("a:\n  test.nop:\n    - name: thing\n    - require:\n      - test: thing\n");
        Assert.Equal("Recursive requisite found", Get2(r)["comment"]);
        Assert.Equal(false, Get2(r)["result"]);
    }

    [Fact]
    public async Task ListenMissingTarget_ReportsListenError()
    {
        var r = await ApplyAsync("a:\n  test.nop:\n    - listen:\n      - test: ghost\n");
        var error = r.States["Listen_Error_|-listen_ghost_|-listen_test_|-Listen_Error"];
        Assert.Equal("Referenced state test: ghost does not exist", error["comment"]);
        Assert.Equal(2, r.Retcode);
    }

    [Fact]
    public async Task Failhard_TestMode_DoesNotStop()
    {
        var r = await ApplyAsync("a:\n  test.fail_without_changes:\n    - failhard: True\nb:\n  test.nop\n", test: true);
        Assert.Equal(2, r.States.Count);
    }

    [Fact]
    public async Task WatchCmdWait_RunsOnlyOnChanges()
    {
        var r = await ApplyAsync("c:\n  test.succeed_with_changes\nq:\n  test.succeed_without_changes\nw1:\n  cmd.wait:\n    - name: echo fired\n    - watch:\n      - test: c\nw2:\n  cmd.wait:\n    - name: echo idle\n    - watch:\n      - test: q\n");
        Assert.Equal("Command \"echo fired\" run", Get(r, "w1")["comment"]);
        Assert.Equal("", Get(r, "w2")["comment"]);
    }

    [Fact]
    public async Task PrereqWithWatch_TargetChangesRunsBoth()
    {
        var r = await ApplyAsync("deploy:\n  test.succeed_with_changes\nstop:\n  test.succeed_without_changes:\n    - prereq:\n      - test: deploy\nstart:\n  test.succeed_without_changes:\n    - watch:\n      - test: deploy\n");
        Assert.Equal(0L, Get(r, "stop")["__run_num__"]);
        Assert.Equal(1L, Get(r, "deploy")["__run_num__"]);
        Assert.Equal("Watch statement fired.", Get(r, "start")["comment"]);
    }

    [Fact]
    public async Task PrereqTargetWithIdleOnchanges_TerminatesWithoutHang()
    {
        var r = await ApplyAsync("quiet:\n  test.succeed_without_changes\ndeploy:\n  test.succeed_with_changes:\n    - onchanges:\n      - test: quiet\nstop:\n  test.succeed_with_changes:\n    - prereq:\n      - test: deploy\n");
        Assert.Equal(3, r.States.Count);
        Assert.Equal("State was not run because none of the onchanges reqs changed", Get(r, "deploy")["comment"]);
    }

    [Fact]
    public async Task ShowGraph_SvgWithoutGraphviz_ClearError()
    {
        if (Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(p => File.Exists(Path.Combine(p, "dot"))))
        {
            return;
        }
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => StateGraph.ToSvgAsync("digraph {}", default));
        Assert.Contains("Graphviz", e.Message);
    }

    [Fact]
    public async Task ManyStates_LongChain_DoesNotHang()
    {
        var sls = string.Concat(Enumerable.Range(0, 300).Select(i => $"s{i}:\n  test.nop:\n    - require:\n      - test: s{i + 1}\n")) + "s300:\n  test.nop\n";
        var r = await ApplyAsync(sls);
        Assert.Equal(301, r.States.Count);
        Assert.Equal(0, r.Retcode);
    }

    [Fact]
    public async Task ExecutionModuleFailure_InStateIsFailedResult()
    {
        var r = await ApplyAsync("svc:\n  service.running\n");
        Assert.Equal(false, Get2(r)["result"]);
        Assert.StartsWith("An exception occurred in this state:", (string)Get2(r)["comment"]!);
    }

    [Fact]
    public async Task Single_NoSls_TagAndResult()
    {
        var h = new StateTestHarness(_dir.Path);
        var ret = await h.RunAsync("test.succeed_with_changes", "solo");
        Assert.Equal(true, ret["result"]);
        Assert.Equal(0L, ret["__run_num__"]);
        _ = h.Context.Modules as ExecutionModuleRegistry;
    }

    [Theory]
    // Salt 3006 runs a state with both onchanges and onfail only when both fire.
    [InlineData("test.succeed_with_changes", "test.succeed_without_changes", false, "State was not run because onfail req did not change")]
    [InlineData("test.succeed_without_changes", "test.fail_without_changes", false, "State was not run because none of the onchanges reqs changed")]
    [InlineData("test.succeed_with_changes", "test.fail_without_changes", true, "Success!")]
    public async Task OnchangesWithOnfail_RunsOnlyWhenBothFire(string changer, string failer, bool ran, string comment)
    {
        var r = await ApplyAsync($"changer:\n  {changer}: []\nfailer:\n  {failer}: []\nreact:\n  test.succeed_without_changes:\n"
            + "    - onchanges:\n      - test: changer\n    - onfail:\n      - test: failer\n");

        var react = Get(r, "react");
        Assert.Equal(comment, react["comment"]);
        Assert.Equal(ran, react.GetValueOrDefault("__state_ran__") is not false);
        Assert.Equal(true, react["result"]);
    }

    [Fact]
    public async Task Prereq_WhenThePrereqingStateFails_TargetShowsItsTestRunWithoutTheProposedChanges()
    {
        var r = await ApplyAsync("stop:\n  test.fail_without_changes:\n    - prereq:\n      - test: upgrade\nupgrade:\n  test.succeed_with_changes: []\n");

        var upgrade = Get(r, "upgrade");
        Assert.Equal(false, Get(r, "stop")["result"]);
        Assert.Null(upgrade["result"]);
        Assert.Equal("If we weren't testing, this would be successful with changes", upgrade["comment"]);
        Assert.Empty((Dictionary<string, object?>)upgrade["changes"]!);
        Assert.Equal(["stop", "upgrade"], r.Ordered.Select(kv => (string?)kv.Value["__id__"]));
    }

    [Fact]
    public async Task OnfailAll_TargetLaterInOrder_EndsAsARecursiveRequisiteAsInSalt()
    {
        // Salt's call_chunk does not run onfail_all targets first, so a target that has not run yet never will for it.
        var r = await ApplyAsync("react:\n  test.succeed_without_changes:\n    - onfail_all:\n      - test: failer\nfailer:\n  test.fail_without_changes: []\n");

        Assert.Equal("Recursive requisite found", Get(r, "react")["comment"]);
        Assert.Equal(false, Get(r, "failer")["result"]);
        // Salt's depth-limit return does not advance the run number: the next state gets the same one.
        Assert.Equal(0L, Get(r, "react")["__run_num__"]);
        Assert.Equal(0L, Get(r, "failer")["__run_num__"]);
    }

    [Fact]
    public async Task OnfailAll_MissingTarget_IsReportedAsNotFound()
    {
        var r = await ApplyAsync("react:\n  test.succeed_without_changes:\n    - onfail_all:\n      - test: nowhere\n");

        Assert.Equal("The following requisites were not found:\n                   onfail_all:\n                       test: nowhere\n", Get(r, "react")["comment"]);
        Assert.Equal(false, Get(r, "react")["result"]);
    }

    [Fact]
    public async Task DeepRequisiteChainAgainstTheOrder_RunsEveryStateInDependencyOrder()
    {
        // s0 requires s1 requires s2 ...: the walk goes as deep as the chain before the first state can run.
        const int count = 20_000;
        var chunks = Enumerable.Range(0, count).Select(i =>
        {
            var low = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["state"] = "test", ["fun"] = "nop", ["__id__"] = $"s{i}", ["name"] = $"s{i}", ["__sls__"] = "case", ["__env__"] = "base",
            };
            if (i < count - 1)
            {
                low["require"] = new List<object?> { new Dictionary<string, object?> { ["test"] = $"s{i + 1}" } };
            }
            return low;
        }).ToList();
        var h = new StateTestHarness(_dir.Path);

        var result = await new StateRunner(h.States, new StateRunOptions { Context = h.Context }).RunChunksAsync(chunks, default);

        Assert.Equal(count, result.States.Count);
        Assert.All(result.States.Values, r => Assert.Equal(true, r["result"]));
        Assert.Equal($"s{count - 1}", (string?)result.Ordered.First().Value["__id__"]);
        Assert.Equal("s0", (string?)result.Ordered.Last().Value["__id__"]);
    }
}

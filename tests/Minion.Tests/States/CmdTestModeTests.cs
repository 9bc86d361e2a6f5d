using Orchestrator.Minion.Tests.StateEngine;

namespace Orchestrator.Minion.Tests.States;

public class CmdTestModeTests
{
    [Fact]
    public async Task Run_TestMode_ReportsTheCommandAsChange()
    {
        var h = new StateTestHarness(Path.GetTempPath());
        var r = await h.RunAsync("cmd.run", "echo hello", test: true);
        Assert.Null(r["result"]);
        Assert.Equal("Command \"echo hello\" would have been executed", r["comment"]);
        Assert.Equal(new Dictionary<string, object?> { ["cmd"] = "echo hello" }, r["changes"]);
        Assert.Empty(h.Cmd.Commands);
    }

    [Fact]
    public async Task Run_TestMode_TriggersWatchers()
    {
        var result = await StateTestHarnessExtensions.ApplyWithModulesAsync(
            "gen:\n  cmd.run:\n    - name: echo gen\nweb:\n  service.running:\n    - watch:\n      - cmd: gen\n", [new FakeServiceModule()], test: true);
        Assert.Equal("Service is set to be started", result.States["service_|-web_|-web_|-running"]["comment"]);
    }

    [Fact]
    public async Task Run_StatefulTestMode_ReinterpretsTheTestResultToNoChangesAndNoComment()
    {
        var h = new StateTestHarness(Path.GetTempPath());
        var r = await h.RunAsync("cmd.run", "echo changed=yes", new Dictionary<string, object?> { ["stateful"] = true }, test: true);
        Assert.Null(r["result"]);
        Assert.Equal(string.Empty, r["comment"]);
        Assert.Equal(new Dictionary<string, object?>(), r["changes"]);
        Assert.Empty(h.Cmd.Commands);
    }

    [Fact]
    public async Task Run_StatefulTestName_RunsTheTestCommandForRealAndReportsNoneWhenItWouldChange()
    {
        var h = new StateTestHarness(Path.GetTempPath());
        var stateful = new List<object?> { new Dictionary<string, object?> { ["test_name"] = "echo changed=yes" } };
        var r = await h.RunAsync("cmd.run", "false", new Dictionary<string, object?> { ["stateful"] = stateful }, test: true);
        Assert.Equal(["echo changed=yes"], h.Cmd.Commands);
        Assert.Null(r["result"]);
        Assert.Equal("yes", ((Dictionary<string, object?>)r["changes"]!)["changed"]);
    }

    [Fact]
    public async Task Run_StatefulList_ReinterpretsOutsideTestMode()
    {
        var h = new StateTestHarness(Path.GetTempPath());
        var stateful = new List<object?> { new Dictionary<string, object?> { ["test_name"] = "echo unused" } };
        var r = await h.RunAsync("cmd.run", "echo changed=no comment=quiet", new Dictionary<string, object?> { ["stateful"] = stateful });
        Assert.Equal(["echo changed=no comment=quiet"], h.Cmd.Commands);
        Assert.Equal(true, r["result"]);
        Assert.Equal("quiet", r["comment"]);
        Assert.Equal(new Dictionary<string, object?>(), r["changes"]);
    }
}

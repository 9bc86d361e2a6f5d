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

    [Fact]
    public async Task ModWatch_StatefulTestName_TestMode_DoesNotRunTheTestCommand()
    {
        using var dir = new Orchestrator.Testing.TempDir();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "case.sls"),
            "conf:\n  test.succeed_with_changes\nw:\n  cmd.wait:\n    - name: echo real\n    - stateful:\n      - test_name: echo changed=yes\n    - watch:\n      - test: conf\n");
        var h = new StateTestHarness(dir.Path);
        var result = await h.ApplyAsync("case", test: true);
        var w = result.States["cmd_|-w_|-echo real_|-wait"];
        Assert.Empty(h.Cmd.Commands);
        Assert.Null(w["result"]);
        Assert.Equal(string.Empty, w["comment"]);
        Assert.Equal(new Dictionary<string, object?>(), w["changes"]);
    }

    [Fact]
    public async Task Run_EnvString_IsRefusedBeforeTestMode()
    {
        var h = new StateTestHarness(Path.GetTempPath());
        var r = await h.RunAsync("cmd.run", "echo", new Dictionary<string, object?> { ["env"] = "A=1" }, test: true);
        Assert.Equal(false, r["result"]);
        Assert.Equal("Invalidly-formatted 'env' parameter. See documentation.", r["comment"]);
    }

    [Fact]
    public async Task Script_StatefulTestMode_ReinterpretsToNoChanges()
    {
        var h = new StateTestHarness(Path.GetTempPath());
        var plain = await h.RunAsync("cmd.script", "salt://x.sh", test: true);
        Assert.Equal("Command 'salt://x.sh' would have been executed", plain["comment"]);
        Assert.Equal(new Dictionary<string, object?>(), plain["changes"]);
        var stateful = await h.RunAsync("cmd.script", "salt://x.sh", new Dictionary<string, object?> { ["stateful"] = true }, test: true);
        Assert.Null(stateful["result"]);
        Assert.Equal(string.Empty, stateful["comment"]);
    }
}

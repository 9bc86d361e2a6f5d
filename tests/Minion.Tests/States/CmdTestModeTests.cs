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
}

using Orchestrator.Minion.Tests.StateEngine;

namespace Orchestrator.Minion.Tests.States;

public class TestStateSaltFormsTests
{
    [Fact]
    public async Task Nop_WithComment_IgnoresItAsSaltDoes()
    {
        var h = new StateTestHarness(Path.GetTempPath());
        var r = await h.RunAsync("test.nop", "n", new Dictionary<string, object?> { ["comment"] = "custom" });
        Assert.Equal(true, r["result"]);
        Assert.Equal("Success!", r["comment"]);
    }

    [Fact]
    public async Task SucceedWithoutChanges_WithComment_UsesIt()
    {
        var h = new StateTestHarness(Path.GetTempPath());
        var r = await h.RunAsync("test.succeed_without_changes", "n", new Dictionary<string, object?> { ["comment"] = "custom" });
        Assert.Equal("custom", r["comment"]);
    }
}

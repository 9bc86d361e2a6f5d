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

    [Fact]
    public async Task ShowNotification_WithoutText_RaisesSaltInvocationError()
    {
        var h = new StateTestHarness(Path.GetTempPath());
        var r = await h.RunAsync("test.show_notification", "n");
        Assert.Equal(false, r["result"]);
        Assert.EndsWith("salt.exceptions.SaltInvocationError: Missing required argument text.\n", (string)r["comment"]!);
        Assert.Equal("hi", (await h.RunAsync("test.show_notification", "n", new() { ["text"] = "hi" }, test: true))["comment"]);
    }

    [Fact]
    public async Task Configurable_RandomIsCaseInsensitive_AndBadValuesRaiseWithSaltsText()
    {
        var h = new StateTestHarness(Path.GetTempPath());
        var random = await h.RunAsync("test.configurable_test_state", "n", new() { ["changes"] = "random", ["result"] = "RANDOM" });
        Assert.IsType<bool>(random["result"]);
        var bad = await h.RunAsync("test.configurable_test_state", "n", new() { ["changes"] = "yes" });
        Assert.Equal(false, bad["result"]);
        Assert.EndsWith("SaltInvocationError: You have specified the state option 'changes' with invalid arguments. It must be either True, False, or 'Random'\n",
            (string)bad["comment"]!);
        var badWarnings = await h.RunAsync("test.configurable_test_state", "n", new() { ["warnings"] = 3L });
        Assert.Contains("'warnings' with invalid arguments", (string)badWarnings["comment"]!);
    }

    [Fact]
    public async Task Configurable_TestMode_ResultNoneUnlessChangesFalse()
    {
        var h = new StateTestHarness(Path.GetTempPath());
        var withChanges = await h.RunAsync("test.configurable_test_state", "n", new() { ["result"] = false }, test: true);
        Assert.Null(withChanges["result"]);
        Assert.Equal("This is a test", withChanges["comment"]);
        Assert.NotEmpty((Dictionary<string, object?>)withChanges["changes"]!);
        var without = await h.RunAsync("test.configurable_test_state", "n", new() { ["changes"] = false, ["result"] = false, ["comment"] = "c" }, test: true);
        Assert.Equal(true, without["result"]);
        Assert.Equal("c", without["comment"]);
    }
}

using Orchestrator.Shared.Output;

namespace Orchestrator.Minion.Tests.States;

public class HighstateOutputterTests
{
    private static Dictionary<string, object?> Data() => new()
    {
        ["local"] = new Dictionary<string, object?>
        {
            ["test_|-b_|-b_|-fail_without_changes"] = new Dictionary<string, object?>
            {
                ["name"] = "b", ["result"] = false, ["changes"] = new Dictionary<string, object?>(), ["comment"] = "Failure!",
                ["__run_num__"] = 1L, ["__id__"] = "b", ["start_time"] = "10:00:00.000001", ["duration"] = 1.5,
            },
            ["test_|-a_|-a_|-succeed_with_changes"] = new Dictionary<string, object?>
            {
                ["name"] = "a", ["result"] = true, ["comment"] = "Success!", ["__run_num__"] = 0L, ["__id__"] = "a",
                ["start_time"] = "10:00:00.000000", ["duration"] = 0.5,
                ["changes"] = new Dictionary<string, object?> { ["testing"] = new Dictionary<string, object?> { ["old"] = "Unchanged", ["new"] = "Something" } },
            },
            ["test_|-c_|-c_|-nop"] = new Dictionary<string, object?>
            {
                ["name"] = "c", ["result"] = true, ["changes"] = new Dictionary<string, object?>(), ["comment"] = "Success!",
                ["__run_num__"] = 2L, ["__id__"] = "c", ["start_time"] = "10:00:00.000002", ["duration"] = 0.25,
            },
        },
    };

    [Fact]
    public void Format_Full_ShowsBlocksInRunOrderAndSummary()
    {
        var text = new HighstateOutputter().Format(Data(), new HighstateOutputOptions(Color: false));
        Assert.True(text.IndexOf("ID: a", StringComparison.Ordinal) < text.IndexOf("ID: b", StringComparison.Ordinal));
        Assert.Contains("    Function: test.fail_without_changes\n", text);
        Assert.Contains("      Result: False\n", text);
        Assert.Contains("              testing:\n                  ----------\n                  new:\n                      Something\n", text);
        Assert.Contains("Succeeded: 2 (changed=1)\n", text);
        Assert.Contains("Failed:    1\n", text);
        Assert.Contains("Total states run:     3\n", text);
        Assert.Contains("Total run time:   2.250 ms", text);
    }

    [Fact]
    public void Format_Terse_OneLinePerState()
    {
        var text = new HighstateOutputter().Format(Data(), new HighstateOutputOptions("terse", Color: false));
        Assert.Contains("  Name: a - Function: test.succeed_with_changes - Result: Changed - Started: 10:00:00.000000 - Duration: 0.5 ms\n", text);
        Assert.Contains("Result: Failed", text);
        Assert.Contains("Result: Clean", text);
    }

    [Fact]
    public void Format_Mixed_FullOnlyForFailures()
    {
        var text = new HighstateOutputter().Format(Data(), new HighstateOutputOptions("mixed", Color: false));
        Assert.Contains("          ID: b\n", text);
        Assert.DoesNotContain("          ID: a\n", text);
    }

    [Fact]
    public void Format_NotVerbose_HidesCleanStates()
    {
        var text = new HighstateOutputter().Format(Data(), new HighstateOutputOptions(StateVerbose: false, Color: false));
        Assert.DoesNotContain("ID: c", text);
        Assert.Contains("Total states run:     3", text);
    }

    [Fact]
    public void Format_CompileErrors_Listed()
    {
        var text = new HighstateOutputter().Format(new Dictionary<string, object?> { ["m"] = new List<object?> { "bad thing" } }, new HighstateOutputOptions(Color: false));
        Assert.Contains("    Data failed to compile:\n----------\n    bad thing\n", text);
    }

    [Fact]
    public void Format_Color_UsesAnsi()
    {
        var text = new HighstateOutputter().Format(Data(), new HighstateOutputOptions());
        Assert.Contains("\u001b[0;31m", text);
        Assert.Contains("\u001b[0;36m", text);
    }
}

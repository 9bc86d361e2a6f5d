using Orchestrator.Master.Api;
using Orchestrator.Shared.Data;

namespace Orchestrator.Master.Tests.Api;

public sealed class SaltInfoFormatterTests
{
    private static Dictionary<string, object?> Parse(string json) => (Dictionary<string, object?>)DataTree.FromJson(json)!;

    [Fact]
    public void NewJobThenReturns_RunningThenComplete()
    {
        var view = new SaltInfoFormatter(_ => new Dictionary<string, object?>());
        var started = view.Process("salt/job/1/new", new()
        {
            ["jid"] = "1", ["fun"] = "test.ping", ["tgt"] = "*", ["tgt_type"] = "glob", ["_stamp"] = "2026-01-01T00:00:00.000000",
            ["minions"] = new List<object?> { "a", "b" },
        });
        var first = view.Process("salt/job/1/ret/a", new() { ["return"] = true, ["retcode"] = 0L, ["success"] = true, ["fun"] = "test.ping" });
        var second = view.Process("salt/job/1/ret/b", new() { ["return"] = true, ["retcode"] = 0L, ["success"] = true, ["fun"] = "test.ping" });

        Assert.Equal("running", ((Dictionary<string, object?>)((Dictionary<string, object?>)Parse(Assert.Single(started))["jobs"]!)["1"]!)["state"]);
        Assert.Equal("running", ((Dictionary<string, object?>)((Dictionary<string, object?>)Parse(Assert.Single(first))["jobs"]!)["1"]!)["state"]);
        var job = (Dictionary<string, object?>)((Dictionary<string, object?>)Parse(Assert.Single(second))["jobs"]!)["1"]!;
        Assert.Equal("complete", job["state"]);
        Assert.Equal(true, ((Dictionary<string, object?>)((Dictionary<string, object?>)job["minions"]!)["b"]!)["return"]);
    }

    [Fact]
    public void KeyAndPresenceEvents_PublishTheMinionList_WithCachedGrains()
    {
        var view = new SaltInfoFormatter(id => new Dictionary<string, object?> { ["id"] = id });

        view.Process("salt/key", new() { ["act"] = "accept", ["id"] = "a" });
        var present = view.Process("salt/presence/present", new() { ["present"] = new List<object?> { "a", "b" } });
        var gone = view.Process("salt/presence/present", new() { ["present"] = new List<object?> { "b" } });
        var same = view.Process("salt/presence/present", new() { ["present"] = new List<object?> { "b" } });

        var minions = (List<object?>)Parse(Assert.Single(present))["minions"]!;
        Assert.Equal(["a", "b"], minions.Cast<Dictionary<string, object?>>().Select(m => m["id"]).Order());
        Assert.Equal("b", ((Dictionary<string, object?>)((Dictionary<string, object?>)((List<object?>)Parse(Assert.Single(gone))["minions"]!).Single()!)["grains"]!)["id"]);
        Assert.Empty(same);
    }

    [Fact]
    public void OtherEvents_NoMessage()
    {
        var view = new SaltInfoFormatter(_ => new Dictionary<string, object?>());

        Assert.Empty(view.Process("custom/tag", new()));
        Assert.Empty(view.Process("salt/run/1/new", new()));
    }

    [Fact]
    public void ManyJobs_TheOldestLeaveTheView()
    {
        var view = new SaltInfoFormatter(_ => new Dictionary<string, object?>());
        List<string> last = [];
        for (var i = 0; i <= SaltInfoFormatter.MaxJobs; i++)
        {
            last = view.Process($"salt/job/{i}/new", new() { ["jid"] = $"{i}", ["minions"] = new List<object?>() });
        }

        var jobs = (Dictionary<string, object?>)Parse(Assert.Single(last))["jobs"]!;
        Assert.Equal(SaltInfoFormatter.MaxJobs, jobs.Count);
        Assert.DoesNotContain("0", jobs.Keys);
    }
}

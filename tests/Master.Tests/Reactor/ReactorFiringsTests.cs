using Orchestrator.Master.Reactor;

namespace Orchestrator.Master.Tests.Reactor;

public sealed class ReactorFiringsTests
{
    private static ReactorAction Action(string id) =>
        new("myorg/*", "/srv/reactor/a.sls", 1, id, ReactionKind.Local, "cmd.run", [], new(StringComparer.Ordinal)) { Target = "web1" };

    [Fact]
    public void KeepsTheNewestFirings_NewestFirst_UpToItsCapacity()
    {
        var firings = new ReactorFirings(TimeProvider.System, capacity: 3);
        for (var n = 0; n < 5; n++)
        {
            firings.Record("myorg/*", $"myorg/event/{n}", Action($"step{n}"), n == 4 ? "failed" : "ran", $"detail {n}");
        }

        var newest = firings.Newest(10).Cast<Dictionary<string, object?>>().ToList();

        Assert.Equal(["myorg/event/4", "myorg/event/3", "myorg/event/2"], newest.Select(f => f["tag"]));
        Assert.Equal("failed", newest[0]["outcome"]);
        Assert.Equal("local.cmd.run", newest[0]["fun"]);
        Assert.Equal("step4", newest[0]["id"]);
        Assert.Single(firings.Newest(1));
        Assert.Empty(firings.Newest(0));
    }
}

using Orchestrator.Master.Events;

namespace Orchestrator.Master.Tests.Events;

public class EventTagTests
{
    [Fact]
    public void Builders_ProduceSaltsOwnTags()
    {
        Assert.Equal("salt/job/123/new", EventTag.JobNew("123"));
        Assert.Equal("salt/job/123/ret/web1", EventTag.JobReturn("123", "web1"));
        Assert.StartsWith(EventTag.JobReturnPrefix("123"), EventTag.JobReturn("123", "web1"));
        Assert.Equal("salt/minion/web1/start", EventTag.MinionStart("web1"));
        Assert.Equal("salt/run/123/new", EventTag.RunNew("123"));
        Assert.Equal("salt/run/123/ret", EventTag.RunReturn("123"));
        Assert.Equal("salt/beacon/web1/load/", EventTag.Beacon("web1", "load"));
        Assert.Equal("salt/auth", EventTag.Auth);
        Assert.Equal("salt/key", EventTag.Key);
        Assert.Equal("salt/presence/change", EventTag.PresenceChange);
    }

    [Theory]
    [InlineData("custom/deploy/done", "custom/deploy/done")]
    [InlineData("myco/app/ready", "myco/app/ready")]
    [InlineData("orch/custom/x", "orch/custom/x")]
    [InlineData("salt/beacon/web1/inotify/", "salt/beacon/web1/inotify/")]
    [InlineData("salt/beacon/web1/service/nginx", "salt/beacon/web1/service/nginx")]
    [InlineData("salt/minion/web1/beacons_list_complete", "salt/minion/web1/beacons_list_complete")]
    [InlineData("/salt/minion/web1/beacons_add_complete", "salt/minion/web1/beacons_add_complete")]
    public void ForMinionEvent_AllowedTag_PassesAsSaltWouldPutIt(string tag, string expected)
    {
        Assert.Equal(expected, EventTag.ForMinionEvent("web1", tag));
    }

    [Theory]
    [InlineData("salt/job/123/ret/web2")]
    [InlineData("salt/job/123/new")]
    [InlineData("salt/auth")]
    [InlineData("salt/key")]
    [InlineData("/salt/key")]
    [InlineData("salt/minion/web2/start")]
    [InlineData("salt/minion/web1/start")]
    [InlineData("salt/presence/change")]
    [InlineData("salt/presence/present")]
    [InlineData("salt/run/123/new")]
    [InlineData("salt/wheel/123/new")]
    [InlineData("salt/cloud/vm/created")]
    [InlineData("salt/reactor/error")]
    [InlineData("salt/minion/web2/beacons_list_complete")]
    public void ForMinionEvent_MasterScopedTag_Refused(string tag)
    {
        Assert.Null(EventTag.ForMinionEvent("web1", tag));
    }

    [Theory]
    [InlineData("salt/beacon/web2/inotify/")]
    [InlineData("salt/beacon/web2/load/")]
    [InlineData("salt/beacon/web10/load/")]
    [InlineData("salt/beacon/web1")]
    public void ForMinionEvent_OtherMinionsBeacon_Refused(string tag)
    {
        Assert.Null(EventTag.ForMinionEvent("web1", tag));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("custom\nfake/line")]
    [InlineData("custom\0x")]
    public void ForMinionEvent_BlankOrControlCharacters_Refused(string tag)
    {
        Assert.Null(EventTag.ForMinionEvent("web1", tag));
    }

    [Fact]
    public void ForMinionEvent_LengthLimit_512()
    {
        Assert.NotNull(EventTag.ForMinionEvent("web1", new string('a', 512)));
        Assert.Null(EventTag.ForMinionEvent("web1", new string('a', 513)));
    }
}

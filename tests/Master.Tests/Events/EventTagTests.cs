using Orchestrator.Master.Events;

namespace Orchestrator.Master.Tests.Events;

public class EventTagTests
{
    [Fact]
    public void Builders_ProduceSaltShapedTags()
    {
        Assert.Equal("orch/job/123/new", EventTag.JobNew("123"));
        Assert.Equal("orch/job/123/ret/web1", EventTag.JobReturn("123", "web1"));
        Assert.StartsWith(EventTag.JobReturnPrefix("123"), EventTag.JobReturn("123", "web1"));
        Assert.Equal("orch/minion/web1/start", EventTag.MinionStart("web1"));
    }

    [Theory]
    [InlineData("custom/deploy/done", "orch/custom/deploy/done")]
    [InlineData("orch/custom/x", "orch/custom/x")]
    [InlineData("beacon/web1/inotify", "orch/beacon/web1/inotify")]
    [InlineData("orch/beacon/web1/load", "orch/beacon/web1/load")]
    public void ForMinionEvent_AllowedTag_IsPrefixed(string tag, string expected)
    {
        Assert.Equal(expected, EventTag.ForMinionEvent("web1", tag));
    }

    [Theory]
    [InlineData("job/123/ret/web2")]
    [InlineData("orch/job/123/new")]
    [InlineData("auth")]
    [InlineData("orch/key")]
    [InlineData("minion/web2/start")]
    [InlineData("orch/minion/web1/start")]
    [InlineData("presence/change")]
    [InlineData("run/123/new")]
    [InlineData("wheel/123/new")]
    [InlineData("cloud/vm/created")]
    public void ForMinionEvent_MasterScopedTag_Refused(string tag)
    {
        Assert.Null(EventTag.ForMinionEvent("web1", tag));
    }

    [Theory]
    [InlineData("beacon/web2/inotify")]
    [InlineData("orch/beacon/web2/load")]
    [InlineData("beacon/web10/load")]
    [InlineData("beacon/web1")]
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

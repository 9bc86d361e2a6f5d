using Orchestrator.Master.Api;

namespace Orchestrator.Master.Tests.Api;

public sealed class ApiHelpersTests
{
    [Fact]
    public void SortedPermissions_TextSortedFirst_ThenMappings_EachOnce()
    {
        var map = new Dictionary<string, object?> { ["web*"] = new List<object?> { "test.*" } };

        var sorted = LoginEndpoints.SortedPermissions(["test.*", "@wheel", map, "test.*", new Dictionary<string, object?>(map)]);

        Assert.Equal(3, sorted.Count);
        Assert.Equal("@wheel", sorted[0]);
        Assert.Equal("test.*", sorted[1]);
        Assert.Same(map, sorted[2]);
    }

    [Theory]
    [InlineData("", "salt/netapi/hook")]
    [InlineData("ci/build", "salt/netapi/hook/ci/build")]
    [InlineData("/ci/build/", "salt/netapi/hook/ci/build")]
    public void HookTag(string path, string tag)
    {
        Assert.Equal(tag, HookEndpoint.TagOf(path));
    }

    [Fact]
    public void HookTag_ControlCharacters_Refused()
    {
        Assert.Equal(400, Assert.Throws<ApiException>(() => HookEndpoint.TagOf("a\nb")).Status);
    }

    [Theory]
    [InlineData("2", 10, 2)]
    [InlineData("25%", 10, 3)]
    [InlineData("10%", 3, 1)]
    [InlineData("100%", 4, 4)]
    public void BatchSize(string batch, int total, int size)
    {
        Assert.Equal(size, LowstateExecutor.BatchSize(batch, total));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("x")]
    [InlineData("-5%")]
    public void BatchSize_Bad_Is400(string batch)
    {
        Assert.Equal(400, Assert.Throws<ApiException>(() => LowstateExecutor.BatchSize(batch, 10)).Status);
    }

    [Theory]
    [InlineData("abc123", true)]
    [InlineData("", false)]
    [InlineData("../x", false)]
    [InlineData("zz", false)]
    public void TokenShape(string token, bool wellFormed)
    {
        Assert.Equal(wellFormed, ApiAuth.IsWellFormed(token));
    }

    [Fact]
    public void TagFilter_Glob()
    {
        var filter = EventStreamEndpoints.TagFilter("salt/job/*/ret/*");

        Assert.True(filter("salt/job/1/ret/web1"));
        Assert.False(filter("salt/job/1/new"));
        Assert.True(EventStreamEndpoints.TagFilter(null)("anything"));
    }
}

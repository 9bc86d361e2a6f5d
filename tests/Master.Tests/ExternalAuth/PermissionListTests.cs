using Orchestrator.Master.ExternalAuth;

namespace Orchestrator.Master.Tests.ExternalAuth;

public sealed class PermissionListTests
{
    private static readonly Dictionary<string, List<object?>> Section = new(StringComparer.Ordinal)
    {
        ["alice"] = ["test.*"],
        ["dev_.*"] = ["grains.*"],
        ["ops%"] = ["state.apply"],
        ["*"] = ["test.ping"],
    };

    [Fact]
    public void For_NamedUser_GetsOwnAndGroupEntriesButNotStar() =>
        Assert.Equal(["test.*", "state.apply"], PermissionList.For(Section, "alice", ["ops", "users"]));

    [Fact]
    public void For_RegexPrincipal_MatchesWholeName()
    {
        Assert.Equal(["grains.*"], PermissionList.For(Section, "dev_bob", []));
        Assert.Equal(["test.ping"], PermissionList.For(Section, "xdev_bob", []));
    }

    [Fact]
    public void For_UnnamedUser_GetsGroupAndStarEntries() =>
        Assert.Equal(["state.apply", "test.ping"], PermissionList.For(Section, "zed", ["ops"]));

    [Fact]
    public void For_NoStarAndUnknownUser_IsEmpty() =>
        Assert.Empty(PermissionList.For(new Dictionary<string, List<object?>> { ["alice"] = [".*"] }, "mallory", ["alice"]));
}

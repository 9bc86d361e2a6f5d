using Orchestrator.Shared.Targeting;

namespace Orchestrator.Shared.Tests.Targeting;

public class NodegroupTests
{
    private static readonly Dictionary<string, object?> _nodegroups = Fleet.Map(
        ("webs", "web*"),
        ("ubuntu", "G@os:Ubuntu"),
        ("ubuntu_webs", "N@webs and N@ubuntu"),
        ("dbs_list", Fleet.Seq("db1", "db2")),
        ("dbs_ids", "db1 db2"),
        ("mixed", Fleet.Seq("G@os:CentOS", "or", "web1")),
        ("globs", Fleet.Seq("web*", "db1")),
        ("nested_list", "N@dbs_list and G@os:Ubuntu"),
        ("deep", "N@nested_list or N@ubuntu_webs"),
        ("web2_or_db1", "web2 or db1"),
        ("cycle_a", "N@cycle_b or web1"),
        ("cycle_b", "web2 and N@cycle_a"),
        ("self", "N@self"),
        ("bad", "G@os:Ubuntu and"),
        ("empty", ""),
        ("number", 42L),
        ("ids_with_number", Fleet.Seq("web1", 7L)));

    [Theory]
    [InlineData("webs", "web1,web2")]
    [InlineData("ubuntu", "web1,db1")]
    [InlineData("ubuntu_webs", "web1")]
    [InlineData("dbs_list", "db1,db2")]
    [InlineData("dbs_ids", "db1,db2")]
    [InlineData("mixed", "web1,web2,db2")]
    [InlineData("globs", "web1,web2,db1")]
    [InlineData("nested_list", "db1")]
    [InlineData("deep", "web1,db1")]
    [InlineData(" webs ", "web1,web2")]
    [InlineData("ids_with_number", "web1")]
    public void Nodegroup_Name_ExpandsDefinition(string name, string expected)
    {
        Assert.Equal(expected, Fleet.Select(name, TargetType.Nodegroup, _nodegroups));
    }

    [Theory]
    [InlineData("N@ubuntu_webs or N@dbs_list", "web1,db1,db2")]
    [InlineData("not N@webs", "db1,db2")]
    [InlineData("N@web2_or_db1 and G@os:Ubuntu", "db1")]
    [InlineData("G@os:Ubuntu and N@web2_or_db1", "db1")]
    [InlineData("N@dbs_list not db2", "db1")]
    public void Nodegroup_InCompound_IsParenthesized(string expression, string expected)
    {
        Assert.Equal(expected, Fleet.Select(expression, TargetType.Compound, _nodegroups));
    }

    [Theory]
    [InlineData("cycle_a", "Nodegroup cycle detected: cycle_a -> cycle_b -> cycle_a")]
    [InlineData("self", "Nodegroup cycle detected: self -> self")]
    [InlineData("missing", "Unknown nodegroup 'missing'")]
    [InlineData("bad", "Invalid compound target")]
    [InlineData("empty", "Nodegroup 'empty' is empty")]
    [InlineData("number", "must be a compound string or a list")]
    [InlineData("", "Nodegroup name is empty")]
    public void Nodegroup_Invalid_ThrowsClearError(string name, string messagePart)
    {
        var ex = Assert.Throws<TargetException>(() => TargetMatcher.Parse(name, TargetType.Nodegroup, _nodegroups));
        Assert.Contains(messagePart, ex.Message);
    }

    [Fact]
    public void Nodegroup_WithoutConfiguration_IsUnknown()
    {
        var ex = Assert.Throws<TargetException>(() => TargetMatcher.Parse("webs", TargetType.Nodegroup));
        Assert.Contains("Unknown nodegroup 'webs'", ex.Message);
    }

    [Fact]
    public void Nodegroup_CycleInsideCompound_Throws()
    {
        var ex = Assert.Throws<TargetException>(() => TargetMatcher.Parse("web1 or N@cycle_b", TargetType.Compound, _nodegroups));
        Assert.Contains("cycle_b -> cycle_a -> cycle_b", ex.Message);
    }

    [Fact]
    public void Nodegroup_ReusedTwice_IsNotACycle()
    {
        Assert.Equal("web1,web2", Fleet.Select("N@webs and N@webs", TargetType.Compound, _nodegroups));
    }
}

using Orchestrator.Minion.Mine;
using Orchestrator.Shared.Rendering;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.Mine;

public sealed class MineFunctionsTests
{
    private static Dictionary<string, object?> Yaml(string text) => (Dictionary<string, object?>)YamlLoader.Load(text)!;

    private static Dictionary<string, object?> Empty() => new(StringComparer.Ordinal);

    [Fact]
    public void Parse_EmptyList_RunsTheKeyWithoutArguments()
    {
        var spec = MineFunctions.Parse("network.ip_addrs", new List<object?>());

        Assert.Equal("network.ip_addrs", spec.Function);
        Assert.Empty(spec.Args);
        Assert.Empty(spec.Kwargs);
        Assert.False(spec.Aliased);
        Assert.Null(spec.AllowTgt);
    }

    [Fact]
    public void Parse_ListOfScalars_ArePositionalArguments()
    {
        var spec = MineFunctions.Parse("network.ip_addrs", new List<object?> { "eth0" });

        Assert.Equal(["eth0"], spec.Args);
    }

    [Fact]
    public void Parse_ListOfDicts_AreKeywordArgumentsAndAliasAndAcl()
    {
        var functions = Yaml("""
            internal_ip:
              - mine_function: network.ip_addrs
              - cidr: 10.0.0.0/8
              - eth0
              - allow_tgt: 'G@roles:lb'
              - allow_tgt_type: compound
            """);

        var spec = MineFunctions.Parse("internal_ip", functions["internal_ip"]);

        Assert.Equal("network.ip_addrs", spec.Function);
        Assert.True(spec.Aliased);
        Assert.Equal(["eth0"], spec.Args);
        Assert.Equal(new Dictionary<string, object?> { ["cidr"] = "10.0.0.0/8" }, spec.Kwargs);
        Assert.Equal("G@roles:lb", spec.AllowTgt);
        Assert.Equal("compound", spec.AllowTgtType);
    }

    [Fact]
    public void Parse_Mapping_IsKeywordArgumentsWithTheOldAliasForm()
    {
        var functions = Yaml("""
            internal_ip_addrs:
              mine_function: network.ip_addrs
              cidr: 192.168.0.0/16
            """);

        var spec = MineFunctions.Parse("internal_ip_addrs", functions["internal_ip_addrs"]);

        Assert.Equal("network.ip_addrs", spec.Function);
        Assert.Equal(new Dictionary<string, object?> { ["cidr"] = "192.168.0.0/16" }, spec.Kwargs);
        Assert.Empty(spec.Args);
    }

    [Fact]
    public void Parse_Null_RunsTheKey()
    {
        var spec = MineFunctions.Parse("test.ping", null);

        Assert.Equal("test.ping", spec.Function);
        Assert.Empty(spec.Args);
    }

    [Fact]
    public void Parse_DoesNotChangeTheConfiguration()
    {
        var functions = Yaml("alias:\n  mine_function: test.arg\n  allow_tgt: web*\n");

        MineFunctions.Parse(functions);

        Assert.Equal(2, ((Dictionary<string, object?>)functions["alias"]!).Count);
    }

    [Fact]
    public void Valid_ShowsAliasesAsFunctionAndArguments()
    {
        var definition = new List<object?> { new Dictionary<string, object?> { ["mine_function"] = "network.ip_addrs" }, "eth0", new Dictionary<string, object?> { ["cidr"] = "10.0.0.0/8" } };

        var valid = MineFunctions.Valid(MineFunctions.Parse("ip", definition), definition);

        Assert.Equal(new Dictionary<string, object?>
        {
            ["network.ip_addrs"] = new List<object?> { "eth0", new Dictionary<string, object?> { ["cidr"] = "10.0.0.0/8" } },
        }, valid);
    }

    [Fact]
    public void Merge_MinionConfigWinsPerFunctionOverMasterAndPillar()
    {
        var opts = Yaml("mine_functions:\n  a: [from-opts]\n");
        var pillar = Yaml("mine_functions:\n  a: [from-pillar]\n  b: []\nmaster:\n  mine_functions:\n    b: [from-master]\n    c: []\n");

        var merged = MineFunctions.Merge(opts, null, pillar);

        Assert.Equal(["a", "b", "c"], merged.Keys.Order());
        Assert.Equal(new List<object?> { "from-opts" }, merged["a"]);
        Assert.Equal(new List<object?> { "from-master" }, merged["b"]);
    }

    [Fact]
    public void Merge_MinionDConfFilesAddToTheMinionFileInNameOrder()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("minion.d"));
        File.WriteAllText(dir.Combine("minion.d", "10-mine.conf"), "mine_functions:\n  a: [from-10]\n  b: [from-10]\n");
        File.WriteAllText(dir.Combine("minion.d", "20-mine.conf"), "mine_functions:\n  b: [from-20]\n");
        File.WriteAllText(dir.Combine("minion.d", "other.txt"), "mine_functions:\n  z: []\n");
        var opts = Yaml("mine_functions:\n  a: [from-file]\n  c: []\n");

        var merged = MineFunctions.Merge(opts, dir.Path, Empty());

        Assert.Equal(["a", "b", "c"], merged.Keys.Order());
        Assert.Equal(new List<object?> { "from-10" }, merged["a"]);
        Assert.Equal(new List<object?> { "from-20" }, merged["b"]);
    }

    [Fact]
    public void Merge_NotAMapping_FailsNamingTheSource()
    {
        var pillar = Yaml("mine_functions:\n  - network.ip_addrs\n");

        var error = Assert.Throws<MineConfigException>(() => MineFunctions.Merge(Empty(), null, pillar));

        Assert.Contains("pillar", error.Message);
    }

    [Fact]
    public void Merge_BrokenMinionDFile_FailsNamingTheFile()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("minion.d"));
        File.WriteAllText(dir.Combine("minion.d", "bad.conf"), "mine_functions: [unclosed\n");

        var error = Assert.Throws<MineConfigException>(() => MineFunctions.Merge(Empty(), dir.Path, Empty()));

        Assert.Contains("bad.conf", error.Message);
    }

    [Fact]
    public void Settings_DefaultToSaltsAndHonourMineEnabled()
    {
        Assert.Equal(TimeSpan.FromMinutes(60), MineSettings.Interval(Empty()));
        Assert.Equal(TimeSpan.FromMinutes(5), MineSettings.Interval(Yaml("mine_interval: 5")));
        Assert.True(MineSettings.Enabled(Empty()));
        Assert.False(MineSettings.Enabled(Yaml("mine_enabled: False")));
    }
}

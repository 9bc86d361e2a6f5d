using Orchestrator.Shared.Config;

namespace Orchestrator.Shared.Tests.Config;

public class ConfigValuesTests
{
    private static readonly Dictionary<string, object?> Config = new(StringComparer.Ordinal)
    {
        ["text"] = "hello",
        ["number"] = 42L,
        ["flag"] = true,
        ["map"] = new Dictionary<string, object?> { ["k"] = "v" },
        ["list"] = new List<object?> { "a", null, 3L },
        ["null"] = null,
    };

    [Fact]
    public void GetString_PresentAndMissing()
    {
        Assert.Equal("hello", Config.GetString("text"));
        Assert.Equal("42", Config.GetString("number"));
        Assert.Equal("fallback", Config.GetString("null", "fallback"));
        Assert.Equal("fallback", Config.GetString("absent", "fallback"));
    }

    [Fact]
    public void GetLong_WrongTypeOrMissing_ReturnsFallback()
    {
        Assert.Equal(42L, Config.GetLong("number"));
        Assert.Equal(7L, Config.GetLong("text", 7));
        Assert.Equal(7L, Config.GetLong("absent", 7));
    }

    [Fact]
    public void GetBool_WrongTypeOrMissing_ReturnsFallback()
    {
        Assert.True(Config.GetBool("flag"));
        Assert.True(Config.GetBool("text", true));
        Assert.False(Config.GetBool("absent"));
    }

    [Fact]
    public void GetMap_NotAMap_ReturnsEmpty()
    {
        Assert.Equal("v", Config.GetMap("map")["k"]);
        Assert.Empty(Config.GetMap("text"));
    }

    [Fact]
    public void GetStringList_SkipsNullsAndStringifies()
    {
        Assert.Equal(["a", "3"], Config.GetStringList("list"));
        Assert.Empty(Config.GetStringList("text"));
    }

    [Fact]
    public void GetRoots_ListsAndSingleStrings_BecomeDirectoryLists()
    {
        var config = new Dictionary<string, object?>
        {
            ["file_roots"] = new Dictionary<string, object?>
            {
                ["base"] = new List<object?> { "/srv/salt", "/srv/formulas" },
                ["dev"] = "/srv/dev",
            },
        };

        var roots = config.GetRoots("file_roots", "/etc/orch/master");

        Assert.Equal(["base", "dev"], roots.Keys);
        Assert.Equal(["/srv/salt", "/srv/formulas"], roots["base"]);
        Assert.Equal(["/srv/dev"], roots["dev"]);
    }

    [Fact]
    public void GetRoots_Missing_ReturnsEmpty()
    {
        Assert.Empty(Config.GetRoots("file_roots", "/etc/orch/master"));
    }

    [Fact]
    public void GetRoots_EnvironmentNotAList_ThrowsNamingKeyAndFile()
    {
        var config = new Dictionary<string, object?> { ["file_roots"] = new Dictionary<string, object?> { ["base"] = 5L } };

        var error = Assert.Throws<ConfigException>(() => config.GetRoots("file_roots", "/etc/orch/master"));

        Assert.Contains("/etc/orch/master", error.Message);
        Assert.Contains("file_roots:base", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void GetRoots_EmptyDirectoryEntry_Throws(string? entry)
    {
        // An empty entry would resolve against the daemon's working directory.
        var config = new Dictionary<string, object?>
        {
            ["file_roots"] = new Dictionary<string, object?> { ["base"] = new List<object?> { "/srv/salt", entry } },
        };

        var error = Assert.Throws<ConfigException>(() => config.GetRoots("file_roots", "/etc/orch/master"));
        Assert.Contains("file_roots:base", error.Message);
    }

    [Fact]
    public void GetRoots_NestedEntry_Throws()
    {
        var config = new Dictionary<string, object?>
        {
            ["file_roots"] = new Dictionary<string, object?>
            {
                ["base"] = new List<object?> { new Dictionary<string, object?> { ["a"] = "b" } },
            },
        };

        Assert.Throws<ConfigException>(() => config.GetRoots("file_roots", "/etc/orch/master"));
    }
}

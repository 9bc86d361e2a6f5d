using Orchestrator.Shared.Config;
using Orchestrator.Testing;

namespace Orchestrator.Shared.Tests.Config;

public class ConfigLoaderTests : IDisposable
{
    private static readonly ConfigKey[] Keys =
    [
        new("interface", ConfigKind.String, "0.0.0.0", "bind address"),
        new("worker_threads", ConfigKind.Int, 5L, "workers"),
        new("ret_port", ConfigKind.Port, 4506L, "request port"),
        new("auto_accept", ConfigKind.Bool, false, "accept keys"),
        new("file_roots", ConfigKind.Map, null, "roots"),
        new("nodegroups_list", ConfigKind.List, null, "a list"),
        new("log_level", ConfigKind.LogLevel, "warning", "level"),
        new("anything", ConfigKind.Any, null, "any"),
    ];

    private readonly TempDir _dir = Some.TempDir();
    private readonly List<string> _warnings = [];

    public void Dispose() => _dir.Dispose();

    private string ConfigPath => _dir.Combine("master");

    private Dictionary<string, object?> Load(string yaml, IReadOnlyDictionary<string, object?>? overrides = null)
    {
        File.WriteAllText(ConfigPath, yaml);
        return ConfigLoader.Load(ConfigPath, Keys, _warnings.Add, overrides);
    }

    [Fact]
    public void Load_MissingFile_ReturnsDefaults()
    {
        var config = ConfigLoader.Load(_dir.Combine("absent"), Keys, _warnings.Add);

        Assert.Equal("0.0.0.0", config["interface"]);
        Assert.Equal(4506L, config["ret_port"]);
        Assert.Equal(false, config["auto_accept"]);
        Assert.Empty(_warnings);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n")]
    public void Load_EmptyFile_ReturnsDefaults(string yaml)
    {
        Assert.Equal(5L, Load(yaml)["worker_threads"]);
    }

    [Fact]
    public void Load_KnownKeys_AreTyped()
    {
        var config = Load("""
            interface: 10.0.0.1
            worker_threads: 8
            ret_port: 14506
            auto_accept: yes
            file_roots:
              base: [/srv/salt]
            nodegroups_list: single
            log_level: DEBUG
            anything: [1, 2]
            """);

        Assert.Equal("10.0.0.1", config["interface"]);
        Assert.Equal(8L, config["worker_threads"]);
        Assert.Equal(14506L, config["ret_port"]);
        Assert.Equal(true, config["auto_accept"]);
        Assert.IsType<Dictionary<string, object?>>(config["file_roots"]);
        Assert.Equal(["single"], Assert.IsType<List<object?>>(config["nodegroups_list"]));
        Assert.Equal("debug", config["log_level"]);
        Assert.Equal([1L, 2L], Assert.IsType<List<object?>>(config["anything"]));
    }

    [Theory]
    [InlineData("on", true)]
    [InlineData("Off", false)]
    [InlineData("TRUE", true)]
    [InlineData("no", false)]
    [InlineData("'yes'", true)]
    public void Load_BoolSpellings_Accepted(string text, bool expected)
    {
        Assert.Equal(expected, Load($"auto_accept: {text}\n")["auto_accept"]);
    }

    [Fact]
    public void Load_NumberForStringKey_KeptAsText()
    {
        Assert.Equal("42", Load("interface: 42\n")["interface"]);
    }

    [Fact]
    public void Load_QuotedNumberForIntKey_IsParsed()
    {
        Assert.Equal(12L, Load("worker_threads: '12'\n")["worker_threads"]);
    }

    [Fact]
    public void Load_NullValue_KeepsDefault()
    {
        Assert.Equal(5L, Load("worker_threads: ~\n")["worker_threads"]);
    }

    [Fact]
    public void Load_UnknownKey_WarnsByNameAndKeepsValue()
    {
        var config = Load("interfaec: 10.0.0.1\n");

        var warning = Assert.Single(_warnings);
        Assert.Contains("'interfaec'", warning);
        Assert.Contains(ConfigPath, warning);
        Assert.Equal("10.0.0.1", config["interfaec"]);
        Assert.Equal("0.0.0.0", config["interface"]);
    }

    [Theory]
    [InlineData("worker_threads: many", "worker_threads", "an integer")]
    [InlineData("ret_port: 0", "ret_port", "a port")]
    [InlineData("ret_port: 65536", "ret_port", "a port")]
    [InlineData("auto_accept: maybe", "auto_accept", "true or false")]
    [InlineData("file_roots: [a]", "file_roots", "a mapping")]
    [InlineData("nodegroups_list: {a: 1}", "nodegroups_list", "a list")]
    [InlineData("log_level: loud", "log_level", "one of")]
    [InlineData("interface: [a, b]", "interface", "a string")]
    public void Load_WrongType_ThrowsNamingKeyAndFile(string yaml, string key, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => Load(yaml + "\n"));

        Assert.Contains($"'{key}'", error.Message);
        Assert.Contains(ConfigPath, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Load_InvalidYaml_ThrowsNamingLine()
    {
        var error = Assert.Throws<ConfigException>(() => Load("interface: 10.0.0.1\nworker_threads: 4\nfile_roots: [unclosed\nlog_level: info\n"));

        Assert.Contains(ConfigPath, error.Message);
        Assert.Matches("line [34]", error.Message);
    }

    [Fact]
    public void Load_TopLevelList_ThrowsMappingRequired()
    {
        var error = Assert.Throws<ConfigException>(() => Load("- a\n- b\n"));

        Assert.Contains("must be a mapping", error.Message);
    }

    [Fact]
    public void Load_NonScalarKey_ThrowsConfigException()
    {
        var error = Assert.Throws<ConfigException>(() => Load("? [a, b]\n: value\n"));

        Assert.Contains(ConfigPath, error.Message);
    }

    [Fact]
    public void Load_DuplicateKey_ThrowsConfigExceptionNamingKey()
    {
        var error = Assert.Throws<ConfigException>(() => Load("interface: a\ninterface: b\n"));

        Assert.Contains("interface", error.Message);
    }

    [Fact]
    public void Load_Overrides_WinOverFile()
    {
        var config = Load("worker_threads: 8\nret_port: 14506\n", new Dictionary<string, object?> { ["worker_threads"] = 2L });

        Assert.Equal(2L, config["worker_threads"]);
        Assert.Equal(14506L, config["ret_port"]);
    }

    [Fact]
    public void Load_OverrideOfClrIntType_IsCoerced()
    {
        var config = Load("", new Dictionary<string, object?> { ["ret_port"] = 4510, ["worker_threads"] = 3 });

        Assert.Equal(4510L, config["ret_port"]);
        Assert.Equal(3L, config["worker_threads"]);
    }

    [Fact]
    public void Load_OverrideWithWrongType_Throws()
    {
        Assert.Throws<ConfigException>(() => Load("", new Dictionary<string, object?> { ["ret_port"] = "http" }));
    }
}

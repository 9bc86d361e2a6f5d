using Orchestrator.Testing;
using static Orchestrator.Testing.ModuleHarness;

namespace Orchestrator.Minion.Tests.Modules.Execution;

public sealed class ConfigModuleTests : IDisposable
{
    private readonly ModuleHarness _harness = Builtin();

    public ConfigModuleTests()
    {
        _harness.Context.Opts["shared"] = "from-opts";
        _harness.Context.Opts["only_opts"] = "o";
        _harness.Grains["shared"] = "from-grains";
        _harness.Grains["only_grains"] = new Dictionary<string, object?> { ["nested"] = "g" };
        _harness.Grains["merged"] = new Dictionary<string, object?> { ["a"] = 1L, ["both"] = "grains" };
        _harness.Context.Pillar["shared"] = "from-pillar";
        _harness.Context.Pillar["only_pillar"] = "p";
        _harness.Context.Pillar["merged"] = new Dictionary<string, object?> { ["b"] = 2L, ["both"] = "pillar" };
        _harness.Context.Pillar["master"] = new Dictionary<string, object?> { ["only_master"] = "m" };
    }

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Get_OptsWinOverGrainsAndPillar() => Assert.Equal("from-opts", await _harness.ReturnAsync("config.get", "shared"));

    [Fact]
    public async Task Get_FallsThroughToGrainsThenPillar()
    {
        Assert.Equal("g", await _harness.ReturnAsync("config.get", "only_grains:nested"));
        Assert.Equal("p", await _harness.ReturnAsync("config.get", "only_pillar"));
        Assert.Equal("m", await _harness.ReturnAsync("config.get", "only_master"));
    }

    [Fact]
    public async Task Get_OmitOpts_SkipsOpts() =>
        Assert.Equal("from-grains", await _harness.ReturnAsync("config.get", ["shared"], Kw(("omit_opts", true))));

    [Fact]
    public async Task Get_Missing_ReturnsDefault() => Assert.Equal("d", await _harness.ReturnAsync("config.get", "nothing", "d"));

    [Fact]
    public async Task Get_MergeRecurse_CombinesDicts()
    {
        var merged = (Dictionary<string, object?>)(await _harness.ReturnAsync("config.get", ["merged"], Kw(("merge", "recurse"))))!;
        Assert.Equal(1L, merged["a"]);
        Assert.Equal(2L, merged["b"]);
        Assert.Equal("grains", merged["both"]);
    }

    [Fact]
    public async Task Option_ReadsOptsOnly()
    {
        Assert.Equal("o", await _harness.ReturnAsync("config.option", "only_opts"));
        Assert.Equal(string.Empty, await _harness.ReturnAsync("config.option", "only_grains"));
    }
}

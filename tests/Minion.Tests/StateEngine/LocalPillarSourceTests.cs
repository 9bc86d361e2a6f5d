using Orchestrator.Minion.StateEngine.Local;
using Orchestrator.Testing;

namespace Orchestrator.Minion.Tests.StateEngine;

public class LocalPillarSourceTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private void Write(string relative, string text)
    {
        var path = _dir.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private LocalPillarSource Source(string id = "web1") =>
        new(new Dictionary<string, List<string>> { ["base"] = [_dir.Path] }, id);

    [Fact]
    public async Task GetPillar_TopMatchesAndMergesInOrder()
    {
        Write("top.sls", "base:\n  '*':\n    - common\n  'web*':\n    - web\n  'db*':\n    - db\n");
        Write("common.sls", "app:\n  port: 80\n  name: demo\n");
        Write("web/init.sls", "include:\n  - .extra\napp:\n  port: 8080\n");
        Write("web/extra.sls", "extra: true\n");
        Write("db.sls", "db: secret\n");
        var pillar = await Source().GetPillarAsync("base", default);
        var app = (Dictionary<string, object?>)pillar["app"]!;
        Assert.Equal(8080L, app["port"]);
        Assert.Equal("demo", app["name"]);
        Assert.Equal(true, pillar["extra"]);
        Assert.False(pillar.ContainsKey("db"));
    }

    [Fact]
    public async Task GetPillar_RenderError_ReportedUnderErrors()
    {
        Write("top.sls", "base:\n  '*':\n    - broken\n");
        Write("broken.sls", "a: [\n");
        var pillar = await Source().GetPillarAsync("base", default);
        Assert.Single((List<object?>)pillar["_errors"]!);
    }

    [Fact]
    public async Task GetPillar_NoTop_Empty()
    {
        Assert.Empty(await Source().GetPillarAsync("base", default));
    }

}

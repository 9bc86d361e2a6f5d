using Microsoft.Extensions.Time.Testing;
using Orchestrator.Master.Hosting;
using Orchestrator.Master.Reactor;
using Orchestrator.Testing;

namespace Orchestrator.Master.Tests.Reactor;

public sealed class ReactionRendererTests : IDisposable
{
    private readonly TempDir _dir = Some.TempDir();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly MasterOptions _options;
    private readonly ReactionRenderer _renderer;

    public ReactionRendererTests()
    {
        Directory.CreateDirectory(_dir.Combine("roots"));
        _options = new MasterOptions
        {
            FileRoots = new(StringComparer.Ordinal) { ["base"] = [_dir.Combine("roots")] },
            Raw = new(StringComparer.Ordinal) { ["id"] = "master-a" },
        };
        _renderer = new ReactionRenderer(_options, new FileServer.FileServer(_options), _time);
    }

    public void Dispose() => _dir.Dispose();

    private string Write(string name, string text)
    {
        var path = _dir.Combine(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private IReadOnlyList<ReactionFile> Render(string file, string tag = "my/tag", Dictionary<string, object?>? data = null) =>
        _renderer.Render(new ReactorRule("my/*", [file]), tag, data ?? new(StringComparer.Ordinal) { ["id"] = "web1" });

    [Fact]
    public void Render_JinjaSeesTagDataAndOpts()
    {
        var file = Write("r/a.sls", """
            {{ tag | replace('/', '-') }}:
              local.cmd.run:
                - tgt: {{ data['id'] }}
                - args:
                  - cmd: echo {{ opts['id'] }}
            """);

        var action = Assert.Single(Assert.Single(Render(file)).Actions);

        Assert.Equal("my-tag", action.Id);
        Assert.Equal("web1", action.Target);
        Assert.Equal("echo master-a", action.Kwargs["cmd"]);
        Assert.Equal("my/*", action.Rule);
    }

    [Fact]
    public void Render_JinjaError_NamesFileAndLine()
    {
        var file = Write("r/bad.sls", "a:\n  local.test.ping:\n    - tgt: {{ data['nope'] }}\n");

        var error = Assert.Single(Assert.Single(Render(file)).Errors);

        Assert.Equal(file, error.File);
        Assert.Equal(3, error.Line);
        Assert.Contains("nope", error.Message);
    }

    [Fact]
    public void Render_JinjaSyntaxErrorAfterShebang_LineIsTheFilesOwn()
    {
        var file = Write("r/bad.sls", "#!jinja|yaml\na: 1\n{% if %}\n");

        var error = Assert.Single(Assert.Single(Render(file)).Errors);

        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void Render_YamlError_NamesFileAndLine()
    {
        var file = Write("r/bad.sls", "a:\n  local.test.ping:\n    - tgt: x\n   - bad: [\n");

        var error = Assert.Single(Assert.Single(Render(file)).Errors);

        Assert.Equal(file, error.File);
        Assert.True(error.Line >= 3, error.Describe());
    }

    [Fact]
    public void Render_ActionLine_IsTheRenderedLine()
    {
        var file = Write("r/lines.sls", "{% set t = data['id'] %}\n\nsecond:\n  local.test.ping:\n    - tgt: {{ t }}\n");

        Assert.Equal(3, Assert.Single(Assert.Single(Render(file)).Actions).Line);
    }

    [Fact]
    public void Render_MissingFile_IsAnErrorNotAThrow()
    {
        var error = Assert.Single(Assert.Single(Render(_dir.Combine("r", "none.sls"))).Errors);

        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void Render_RelativePath_Refused()
    {
        Assert.Contains("absolute path", Assert.Single(Assert.Single(Render("reactor/a.sls")).Errors).Message);
    }

    [Fact]
    public void Render_SaltUrl_ThroughTheFileServer()
    {
        Write("roots/reactor/a.sls", "a:\n  runner.jobs.active: []\n");

        var result = Assert.Single(Render("salt://reactor/a.sls"));

        Assert.Equal("salt://reactor/a.sls", result.File);
        Assert.Equal("jobs.active", Assert.Single(result.Actions).Function);
    }

    [Fact]
    public void Render_SaltUrlMissing_NamesTheEnvironment()
    {
        Assert.Contains("'base'", Assert.Single(Assert.Single(Render("salt://reactor/none.sls")).Errors).Message);
    }

    [Fact]
    public void Render_Glob_EveryMatchingFileInOrder()
    {
        Write("r/10-a.sls", "a:\n  runner.jobs.active: []\n");
        Write("r/20-b.sls", "b:\n  runner.jobs.list_jobs: []\n");
        Write("r/.hidden.sls", "c:\n  runner.jobs.list_jobs: []\n");

        var results = Render(_dir.Combine("r", "*.sls"));

        Assert.Equal(["a", "b"], results.SelectMany(r => r.Actions).Select(a => a.Id));
    }

    [Fact]
    public void Render_JinjaImportBesideTheFile()
    {
        Write("r/macros.jinja", "{% macro target() %}web*{% endmacro %}");
        var file = Write("r/a.sls", "{% from 'macros.jinja' import target %}\na:\n  local.test.ping:\n    - tgt: '{{ target() }}'\n");

        Assert.Equal("web*", Assert.Single(Assert.Single(Render(file)).Actions).Target);
    }

    [Fact]
    public void Render_FilesCachedForTheRefreshInterval()
    {
        _options.Reactor.RefreshInterval = TimeSpan.FromSeconds(60);
        var file = Write("r/a.sls", "a:\n  runner.jobs.active: []\n");
        Render(file);
        File.WriteAllText(file, "b:\n  runner.jobs.active: []\n");

        var cached = Assert.Single(Assert.Single(Render(file)).Actions).Id;
        _time.Advance(TimeSpan.FromSeconds(60));
        var fresh = Assert.Single(Assert.Single(Render(file)).Actions).Id;

        Assert.Equal("a", cached);
        Assert.Equal("b", fresh);
    }

    [Fact]
    public void Render_DoesNotChangeTheEventsData()
    {
        var file = Write("r/a.sls", "{% do data.update({'id': 'changed'}) %}a:\n  runner.jobs.active: []\n");
        var data = new Dictionary<string, object?>(StringComparer.Ordinal) { ["id"] = "web1" };

        Render(file, data: data);

        Assert.Equal("web1", data["id"]);
    }
}

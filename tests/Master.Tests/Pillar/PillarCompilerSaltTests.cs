using Orchestrator.Master.Hosting;
using Orchestrator.Master.Pillar;
using Orchestrator.Testing;

namespace Orchestrator.Master.Tests.Pillar;

/// <summary>Pillar SLS compiled on the master see <c>salt</c> (master-side data functions), grains, opts and the pillar so far.</summary>
public class PillarCompilerSaltTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private void Write(string relative, string text)
    {
        var path = _dir.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private readonly CollectingLogger<PillarCompiler> _log = new();

    private Task<CompiledPillar> CompileAsync(Dictionary<string, object?> grains)
    {
        var options = new MasterOptions { PillarRoots = new Dictionary<string, List<string>> { ["base"] = [_dir.Path] } };
        options.Raw["master_flag"] = "from-opts";
        return new PillarCompiler(options, _log).CompileAsync("web1", grains, "base", new Dictionary<string, object?>(), CancellationToken.None);
    }

    [Fact]
    public async Task PillarSls_CallsSaltDataFunctions_SeesPillarSoFarAndSlsVariables()
    {
        Write("top.sls", "base:\n  '*':\n    - common\n    - app.web\n");
        Write("common.sls", "site:\n  name: demo\n  ports: [80]\n");
        Write("app/web.sls", """
            {%- set pkg = salt['grains.filter_by']({'Debian': {'pkg': 'apache2'}, 'RedHat': {'pkg': 'httpd'}}, grain='os_family') %}
            web:
              os: {{ salt['grains.get']('os') }}
              pkg: {{ pkg.pkg }}
              site: {{ salt['pillar.get']('site:name', 'none') }}
              merged: {{ salt['pillar.get']('site', {'tls': false}, merge=True) | json }}
              flag: {{ salt['config.get']('master_flag') }}
              missing: {{ salt['status.time']|default(none) is callable }}
              where: {{ tpldir }} {{ slsdotpath }} {{ sls }}
              ping: {{ salt['test.ping']() }}
            """);

        var compiled = await CompileAsync(new Dictionary<string, object?> { ["os"] = "Debian", ["os_family"] = "Debian" });

        Assert.Empty(compiled.Errors);
        var web = (Dictionary<string, object?>)compiled.Pillar["web"]!;
        Assert.Equal("Debian", web["os"]);
        Assert.Equal("apache2", web["pkg"]);
        Assert.Equal("demo", web["site"]);
        Assert.Equal(new Dictionary<string, object?> { ["tls"] = false, ["name"] = "demo", ["ports"] = new List<object?> { 80L } }, web["merged"]);
        Assert.Equal("from-opts", web["flag"]);
        Assert.Equal(false, web["missing"]);
        Assert.Equal("app app app.web", web["where"]);
        Assert.Equal(true, web["ping"]);
    }

    [Fact]
    public async Task PillarSls_BadFilterByMerge_IsARenderError()
    {
        Write("top.sls", "base:\n  '*':\n    - bad\n");
        Write("bad.sls", "x: {{ salt['grains.filter_by']({'Debian': {}}, grain='os', merge='no') }}\n");

        var compiled = await CompileAsync(new Dictionary<string, object?> { ["os"] = "Debian" });

        // Salt's words to the minion; the reason in the master's log.
        Assert.Equal("Rendering SLS 'bad' failed. Please see master log for details.", Assert.Single(compiled.Errors));
        Assert.Contains(_log.WithId(1076), m => m.Contains("filter_by merge argument must be a dictionary.", StringComparison.Ordinal) && m.Contains("web1", StringComparison.Ordinal));
    }
}

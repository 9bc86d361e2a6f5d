using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: a state tree written the way the public Salt formulas are (map.jinja picking values with grains.filter_by
/// from defaults.yaml and osfamilymap.yaml, the pillar's lookup merged over them, pillar.get with merge=True, helpers
/// from slsutil, defaults, file, log and cp) rendered through orch call --local state.show_sls, with no master.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class FormulaTreeCallTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private void Write(string relative, string text)
    {
        var path = _dir.Combine(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private string WriteTree()
    {
        Write("srv/myapp/defaults.yaml", """
            myapp:
              pkg:
                name: myapp
              config: /etc/myapp.conf
              service:
                name: myapp
              settings:
                port: 80
                workers: 2
            """);
        Write("srv/myapp/osfamilymap.yaml", """
            Debian:
              pkg:
                name: myapp-deb
            RedHat:
              pkg:
                name: myapp-rpm
              config: /etc/sysconfig/myapp.conf
            """);
        Write("srv/myapp/map.jinja", """
            {%- import_yaml "myapp/defaults.yaml" as default_settings %}
            {%- import_yaml "myapp/osfamilymap.yaml" as osfamilymap %}
            {%- set defaults = salt['grains.filter_by'](default_settings,
                  default='myapp',
                  merge=salt['grains.filter_by'](osfamilymap, grain='os_family',
                    merge=salt['pillar.get']('myapp:lookup', {}))) %}
            {%- set myapp = salt['pillar.get']('myapp', default=defaults, merge=True) %}
            {%- do salt['log.debug']('myapp map: ' ~ myapp) %}
            """);
        Write("srv/myapp/init.sls", """
            {%- from "myapp/map.jinja" import myapp with context %}
            {%- set extra = {'tuned': salt['slsutil.boolstr'](myapp.settings.workers > 2, 'yes', 'no')} %}
            {%- do salt['defaults.merge'](extra, {'dirs': salt['cp.list_master_dirs'](prefix='myapp/files')}) %}
            myapp-pkg:
              pkg.installed:
                - name: {{ myapp.pkg.name }}
            myapp-config:
              file.managed:
                - name: {{ myapp.config }}
                - dir: {{ salt['file.dirname'](myapp.config) }}
                - helper: {{ salt['file.join'](salt['file.dirname'](myapp.config), 'helper.sh') }}
                - contents: {{ salt['slsutil.serialize']('json', myapp.settings) | yaml_dquote }}
                - context: {{ extra | json }}
            """);
        Directory.CreateDirectory(_dir.Combine("srv", "myapp", "files", "empty"));
        Write("pillar/top.sls", "base:\n  '*':\n    - myapp\n");
        Write("pillar/myapp.sls", """
            myapp:
              lookup:
                service:
                  name: myapp-custom
              settings:
                workers: 4
            """);
        Write("conf/minion", $"""
            id: formula1
            file_client: local
            pki_dir: {_dir.Combine("pki")}
            cachedir: {_dir.Combine("cache")}
            grains:
              os_family: RedHat
            file_roots:
              base:
                - {_dir.Combine("srv")}
            pillar_roots:
              base:
                - {_dir.Combine("pillar")}
            """);
        return _dir.Combine("conf");
    }

    [Fact]
    public async Task ShowSls_FormulaShapedTree_RendersAsSaltWould()
    {
        var conf = WriteTree();
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var rc = await Cli.CliApp.RunAsync(["call", "--local", "-c", conf, "--out", "json", "state.show_sls", "myapp"], stdout, stderr, CancellationToken.None);

        Assert.True(rc == 0, stdout + stderr.ToString());
        using var json = JsonDocument.Parse(stdout.ToString());
        var states = json.RootElement.GetProperty("local");
        var pkg = Args(states.GetProperty("myapp-pkg").GetProperty("pkg"));
        var file = Args(states.GetProperty("myapp-config").GetProperty("file"));
        // osfamilymap's RedHat entry over defaults.yaml, then pillar over both (workers 4, the service from the lookup).
        Assert.Equal("myapp-rpm", pkg["name"].GetString());
        Assert.Equal("/etc/sysconfig/myapp.conf", file["name"].GetString());
        Assert.Equal("/etc/sysconfig", file["dir"].GetString());
        Assert.Equal("/etc/sysconfig/helper.sh", file["helper"].GetString());
        Assert.Equal("{\"port\": 80, \"workers\": 4}", file["contents"].GetString());
        Assert.Equal("yes", file["context"].GetProperty("tuned").GetString());
        Assert.Equal(["myapp/files", "myapp/files/empty"], file["context"].GetProperty("dirs").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    [Fact]
    public async Task ShowSls_FilterByMergeNotADict_FailsTheRenderWithSaltsMessage()
    {
        var conf = WriteTree();
        Write("srv/bad.sls", "{% set x = salt['grains.filter_by']({'RedHat': {}}, merge='oops') %}\nx:\n  test.nop: []\n");
        var stdout = new StringWriter();

        var rc = await Cli.CliApp.RunAsync(["call", "--local", "-c", conf, "--out", "json", "state.show_sls", "bad"], stdout, new StringWriter(), CancellationToken.None);

        Assert.NotEqual(0, rc);
        Assert.Contains("filter_by merge argument must be a dictionary.", stdout.ToString());
    }

    private static Dictionary<string, JsonElement> Args(JsonElement stateList)
    {
        var args = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var item in stateList.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object))
        {
            foreach (var property in item.EnumerateObject())
            {
                args[property.Name] = property.Value;
            }
        }
        return args;
    }
}

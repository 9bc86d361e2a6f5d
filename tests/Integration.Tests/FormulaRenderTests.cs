using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// A state tree in the saltstack-formulas patterns through <c>orch call --local</c>: <c>tplroot</c> from <c>tpldir</c>,
/// <c>map.jinja</c> imported with context, <c>import_yaml</c> of <c>defaults.yaml</c> and of a relative <c>./</c> file,
/// <c>traverse</c>, a <c>_mapdata</c> dump through <c>| yaml</c>, Salt's SLS and file-template variables, and a pillar SLS
/// calling <c>salt[...]</c>.
/// </summary>
[Trait("Category", "Integration")]
public sealed class FormulaRenderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private void Write(string relative, string text)
    {
        var path = _dir.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private string Config()
    {
        Write("conf/minion", $"""
            id: formula1
            file_client: local
            pki_dir: {_dir.Combine("pki")}
            cachedir: {_dir.Combine("cache")}
            file_roots:
              base:
                - {_dir.Combine("srv", "salt")}
            pillar_roots:
              base:
                - {_dir.Combine("srv", "pillar")}
            """);
        Write("srv/pillar/top.sls", "base:\n  '*':\n    - common\n    - myapp\n");
        Write("srv/pillar/common.sls", "site: demo\n");
        Write("srv/pillar/myapp.sls", """
            myapp:
              port: {{ salt['test.echo']('8080') }}
              site: {{ salt['pillar.get']('site', 'none') }}
              minion: {{ salt['grains.get']('id') }}
              where: {{ tpldir }} {{ sls }}
            """);
        Write("srv/salt/myapp/defaults.yaml", "myapp:\n  pkg: myapp-server\n  config: /etc/myapp.conf\n  port: 80\n  users: [root]\n");
        Write("srv/salt/myapp/osfamilymap.yaml", "Debian:\n  pkg: myapp-deb\n  where: {{ tpldir }}\n");
        Write("srv/salt/myapp/map.jinja", """
            {%- set tplroot = tpldir.split('/')[0] %}
            {%- import_yaml tplroot ~ "/defaults.yaml" as default_settings %}
            {%- import_yaml "./osfamilymap.yaml" as osfamilymap %}
            {%- set mapdata = default_settings.myapp %}
            {%- do mapdata.update(osfamilymap | traverse(grains.os_family, {})) %}
            {%- do mapdata.update({'port': salt['pillar.get']('myapp:port', mapdata.port)}) %}
            """);
        Write("srv/salt/myapp/config/file.sls", $$$"""
            {%- set tplroot = tpldir.split('/')[0] %}
            {%- from tplroot ~ "/map.jinja" import mapdata with context %}
            myapp-config:
              file.managed:
                - name: {{{_dir.Combine("out", "myapp.conf")}}}
                - source: salt://{{ tplroot }}/files/myapp.conf.jinja
                - template: jinja
                - makedirs: True
                - mode: 640
                - context:
                    port: {{ mapdata.port }}
            vars:
              test.succeed_without_changes:
                - name: "{{ tpldir }}|{{ tpldot }}|{{ tplfile }}|{{ slspath }}|{{ slsdotpath }}|{{ slscolonpath }}|{{ sls_path }}|{{ sls }}|{{ env is defined }}|{{ tplpath.endswith('/srv/salt/myapp/config/file.sls') }}"
            """);
        Write("srv/salt/myapp/files/myapp.conf.jinja", """
            # {{ name }} from {{ source }}
            port={{ port }} mode={{ mode }} user={{ user }}
            sls={{ sls is defined }} tpldir={{ tpldir is defined }}

            """);
        Write("srv/salt/myapp/_mapdata/init.sls", """
            {%- set tplroot = tpldir.split('/')[0] %}
            {%- from tplroot ~ "/map.jinja" import mapdata with context %}
            {{ tplroot }}-mapdata:
              test.show_notification:
                - text: |
                    {{ mapdata | yaml(False) | indent(8) }}
            """);
        Write("srv/salt/top-level.sls", "top:\n  test.succeed_without_changes:\n    - name: \"{{ tpldir }}|{{ tpldot }}|{{ slspath }}|{{ tplfile }}\"\n");
        return _dir.Combine("conf");
    }

    private static async Task<(int Exit, JsonElement Local, string Output)> CallAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Cli.CliApp.RunAsync(["call", "--local", .. args, "--out", "json"], stdout, stderr, CancellationToken.None);
        var text = stdout.ToString();
        var local = text.Length > 0 ? JsonDocument.Parse(text).RootElement.GetProperty("local").Clone() : default;
        return (exit, local, text + stderr);
    }

    private static JsonElement State(JsonElement local, string prefix) =>
        local.EnumerateObject().Single(p => p.Name.StartsWith(prefix, StringComparison.Ordinal)).Value;

    [Fact]
    public async Task FormulaTree_MapJinjaDefaultsYamlAndTemplateVariables_RenderAsSalt()
    {
        var conf = Config();

        var (exit, local, output) = await CallAsync("-c", conf, "state.apply", "myapp.config.file");

        Assert.True(exit == 0, output);
        Assert.Equal(
            "myapp/config|myapp.config|myapp/config/file.sls|myapp/config|myapp.config|myapp:config|myapp_config|myapp.config.file|False|True",
            State(local, "test_|-vars_|-").GetProperty("name").GetString());
        var written = await File.ReadAllTextAsync(_dir.Combine("out", "myapp.conf"));
        Assert.Equal($"# {_dir.Combine("out", "myapp.conf")} from salt://myapp/files/myapp.conf.jinja\nport=8080 mode=0640 user=None\nsls=False tpldir=False\n", written);
    }

    [Fact]
    public async Task MapData_DumpedWithYamlFilter_ShowsDefaultsMergedWithOsFamilyAndPillar()
    {
        var conf = Config();
        var grains = await CallAsync("-c", conf, "grains.get", "os_family");
        var osFamily = grains.Local.GetString();

        var (exit, local, output) = await CallAsync("-c", conf, "state.apply", "myapp._mapdata");

        Assert.True(exit == 0, output);
        var comment = State(local, "test_|-myapp-mapdata_|-").GetProperty("comment").GetString();
        var pkg = osFamily == "Debian" ? "myapp-deb" : "myapp-server";
        var where = osFamily == "Debian" ? "\nwhere: myapp" : string.Empty;
        Assert.Equal($"config: /etc/myapp.conf\npkg: {pkg}\nport: 8080\nusers:\n- root{where}", comment);
    }

    [Fact]
    public async Task PillarSls_CallsSalt_SeesThePillarSoFarAndItsSlsVariables()
    {
        var conf = Config();

        var (exit, local, output) = await CallAsync("-c", conf, "pillar.get", "myapp");

        Assert.True(exit == 0, output);
        Assert.Equal(8080, local.GetProperty("port").GetInt64());
        Assert.Equal("demo", local.GetProperty("site").GetString());
        Assert.Equal("formula1", local.GetProperty("minion").GetString());
        Assert.Equal(". myapp", local.GetProperty("where").GetString());
    }

    [Fact]
    public async Task TopLevelSls_TpldirIsDot_SlspathEmpty()
    {
        var conf = Config();

        var (exit, local, output) = await CallAsync("-c", conf, "state.apply", "top-level");

        Assert.True(exit == 0, output);
        Assert.Equal(".|||top-level.sls", State(local, "test_|-top_|-").GetProperty("name").GetString());
    }

    [Fact]
    public async Task ImportWithSaltUrl_FailsTheRenderAsSalt()
    {
        var conf = Config();
        Write("srv/salt/bad.sls", "{% from 'salt://myapp/map.jinja' import mapdata %}\nx:\n  test.nop\n");

        var (exit, _, output) = await CallAsync("-c", conf, "state.apply", "bad");

        Assert.NotEqual(0, exit);
        Assert.Contains("Rendering SLS 'base:bad' failed: Jinja error: salt://myapp/map.jinja", output);
    }
}

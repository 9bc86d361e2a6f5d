using System.Text.Json;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: a state tree written the way public formulas write theirs, run with <c>orch call --local ... test=True</c>
/// on this host. Every state answers as Salt 3006 does in a test run: nothing is created, fetched or checked by
/// running a command, and results, comments and changes are Salt's.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class TestModeSaltFormsTests : IDisposable
{
    private const string SetToBeChanged = "is set to be changed\nNote: No changes made, actual changes may\nbe different due to other states.";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<(int Code, Dictionary<string, JsonElement> States, string Output)> ApplyTestAsync(string sls)
    {
        var roots = _dir.Combine("roots");
        Directory.CreateDirectory(Path.Combine(roots, "tree", "files"));
        await File.WriteAllTextAsync(Path.Combine(roots, "tree", "init.sls"), sls);
        await File.WriteAllTextAsync(Path.Combine(roots, "tree", "files", "app.conf.jinja"), "port={{ port }}\n");
        var conf = _dir.Combine("conf");
        Directory.CreateDirectory(conf);
        await File.WriteAllTextAsync(Path.Combine(conf, "minion"),
            $"id: acc-local\nfile_client: local\npki_dir: {_dir.Combine("pki")}\ncachedir: {_dir.Combine("cache")}\nfile_roots:\n  base:\n    - {roots}\n");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Cli.CliApp.RunAsync(["call", "--local", "-c", conf, "--out", "json", "state.apply", "tree", "test=True"], stdout, stderr, CancellationToken.None);
        var output = stdout + stderr.ToString();
        using var doc = JsonDocument.Parse(stdout.ToString());
        var states = doc.RootElement.GetProperty("local").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        return (code, states, output);
    }

    private static string? Comment(JsonElement state) => state.GetProperty("comment").GetString();

    private static JsonValueKind Result(JsonElement state) => state.GetProperty("result").ValueKind;

    [Fact]
    public async Task FileStates_TestRun_AsSalt()
    {
        var dir = _dir.Combine("target", "etc", "app");
        var marker = _dir.Combine("check-ran");
        var sls = $$"""
            app-config:
              file.managed:
                - name: {{dir}}/app.conf
                - source:
                  - salt://tree/files/missing.conf.jinja
                  - salt://tree/files/app.conf.jinja
                - template: jinja
                - makedirs: True
                - check_cmd: touch {{marker}}; false
                - context:
                  port: 8080
            app-motd:
              file.managed:
                - name: {{dir}}/motd
                - contents:
                  - line one
                  - line two
            app-dir:
              file.directory:
                - name: {{dir}}/data/
                - makedirs: True
            app-link:
              file.symlink:
                - name: {{dir}}/links/current
                - target: {{dir}}/data
                - makedirs: True
            app-gone:
              file.absent:
                - name: {{dir}}/old.conf
            app-download:
              file.managed:
                - name: {{dir}}/tool.tar.gz
                - source: https://downloads.example.invalid/tool.tar.gz
                - source_hash: sha256={{new string('a', 64)}}
            """;
        var (code, states, output) = await ApplyTestAsync(sls);

        Assert.True(code is 0 or 1, output);
        var config = states[$"file_|-app-config_|-{dir}/app.conf_|-managed"];
        Assert.Equal(JsonValueKind.Null, Result(config));
        Assert.Equal($"The file {dir}/app.conf {SetToBeChanged}", Comment(config));
        Assert.Equal($"{dir}/app.conf", config.GetProperty("changes").GetProperty("newfile").GetString());
        Assert.Equal($"The file {dir}/motd {SetToBeChanged}", Comment(states[$"file_|-app-motd_|-{dir}/motd_|-managed"]));
        Assert.Equal($"The following files will be changed:\n{dir}/data: directory - new\n", Comment(states[$"file_|-app-dir_|-{dir}/data/_|-directory"]));
        Assert.Equal($"Symlink {dir}/links/current to {dir}/data is set for creation\n{dir}/links will be created",
            Comment(states[$"file_|-app-link_|-{dir}/links/current_|-symlink"]));
        Assert.Equal($"File {dir}/old.conf is not present", Comment(states[$"file_|-app-gone_|-{dir}/old.conf_|-absent"]));
        Assert.Equal(JsonValueKind.Null, Result(states[$"file_|-app-download_|-{dir}/tool.tar.gz_|-managed"]));
        Assert.False(File.Exists(marker));
        Assert.False(Directory.Exists(_dir.Combine("target")));
    }

    [Fact]
    public async Task SystemStates_TestRun_AsSalt()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var sls = $$"""
            tools:
              pkg.installed:
                - pkgs:
                  - orch-no-such-package-{{suffix}}
            orchu{{suffix}}:
              user.present:
                - groups:
                  - orchg-missing-{{suffix}}
            build:
              cmd.run:
                - name: echo build
            orch-svc-{{suffix}}:
              service.running:
                - watch:
                  - cmd: build
            """;
        var (_, states, output) = await ApplyTestAsync(sls);

        var pkg = states["pkg_|-tools_|-tools_|-installed"];
        Assert.Equal($"The following packages would be installed/updated: orch-no-such-package-{suffix}", Comment(pkg));
        Assert.Equal("installed", pkg.GetProperty("changes").GetProperty($"orch-no-such-package-{suffix}").GetProperty("new").GetString());
        var user = states[$"user_|-orchu{suffix}_|-orchu{suffix}_|-present"];
        Assert.Equal(JsonValueKind.False, Result(user));
        Assert.Equal($"The following group(s) are not present: orchg-missing-{suffix}", Comment(user));
        Assert.Equal("echo build", states["cmd_|-build_|-echo build_|-run"].GetProperty("changes").GetProperty("cmd").GetString());
        var service = states[$"service_|-orch-svc-{suffix}_|-orch-svc-{suffix}_|-running"];
        var notPresent = $"Service orch-svc-{suffix} not present; if created in this state run, it would have been started";
        Assert.True(Comment(service) == "Service is set to be started" || Comment(service) == notPresent, output);
    }

    [Fact]
    public async Task ServiceRunning_SystemdOffline_NothingToDo()
    {
        // Only where systemd is installed but is not PID 1 (a container), as on the machine Salt's outputs were recorded on.
        if (Directory.Exists("/run/systemd/system") || !File.Exists("/usr/bin/systemctl"))
        {
            return;
        }
        var (_, states, _) = await ApplyTestAsync("ssh:\n  service.running:\n    - enable: True\n");
        var ssh = states["service_|-ssh_|-ssh_|-running"];
        Assert.Equal(JsonValueKind.True, Result(ssh));
        Assert.Equal("Running in OFFLINE mode. Nothing to do", Comment(ssh));
    }

    [Fact]
    public async Task ArgumentMappingWithSeveralKeys_Accepted()
    {
        var target = _dir.Combine("out", "app.conf");
        var sls = $"app:\n  file.managed:\n    - name: {target}\n    - source: salt://tree/files/app.conf.jinja\n    - template: jinja\n    - makedirs: True\n    - context:\n      port: 9000\n";
        var (code, states, output) = await ApplyTestAsync(sls);
        Assert.True(code is 0 or 1, output);
        Assert.Equal(JsonValueKind.Null, Result(states[$"file_|-app_|-{target}_|-managed"]));
    }
}

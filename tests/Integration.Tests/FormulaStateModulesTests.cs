using Orchestrator.Shared.Data;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: the state modules public formulas use (file.blockreplace/accumulated/keyvalue/serialize, module.run/wait,
/// ssh_auth, ssh_known_hosts, git.config_*), run on this host through <c>orch call --local</c> against real files in a temp
/// dir, the real git and ssh-keygen: a test run first (nothing written), then the real run, then a second run that changes
/// nothing, and bad input that must fail.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class FormulaStateModulesTests : IDisposable
{
    // A throw-away ed25519 public key (no private half is kept anywhere).
    private const string Key1 = "AAAAC3NzaC1lZDI1NTE5AAAAIGx2dBt8OryQk2GZcUTO7aEXT0cG5nDUGpf/ezXJ5y1f";
    private const string Key2 = "AAAAC3NzaC1lZDI1NTE5AAAAIKh5K1Y5ECd0lQqCqlZFyPGY/UHQh7mzjH6Yy2lq0Yay";

    private readonly TempDir _dir = new();
    private readonly string _config;
    private readonly string _roots;

    public FormulaStateModulesTests()
    {
        _roots = _dir.Combine("roots");
        Directory.CreateDirectory(_roots);
        var conf = _dir.Combine("conf");
        Directory.CreateDirectory(conf);
        File.WriteAllText(Path.Combine(conf, "minion"),
            $"id: formula-local\nfile_client: local\npki_dir: {_dir.Combine("pki")}\ncachedir: {_dir.Combine("cache")}\n");
        _config = conf;
    }

    public void Dispose() => _dir.Dispose();

    private async Task<Dictionary<string, Dictionary<string, object?>>> ApplyAsync(string sls, string text, bool test = false)
    {
        await File.WriteAllTextAsync(Path.Combine(_roots, sls + ".sls"), text);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        List<string> args = ["call", "--local", "-c", _config, "--file-root", _roots, "--out", "json", "state.apply", sls];
        if (test)
        {
            args.Add("test=True");
        }
        await Cli.CliApp.RunAsync([.. args], stdout, stderr, CancellationToken.None);
        var tree = DataTree.FromJson(stdout.ToString()) as Dictionary<string, object?>;
        Assert.True(tree?["local"] is Dictionary<string, object?>, stdout + stderr.ToString());
        return ((Dictionary<string, object?>)tree!["local"]!).ToDictionary(p => p.Key.Split("_|-")[1], p => (Dictionary<string, object?>)p.Value!);
    }

    private static Dictionary<string, object?> Changes(Dictionary<string, object?> ret) => (Dictionary<string, object?>)ret["changes"]!;

    [Fact]
    public async Task Blockreplace_WithAccumulator_TestThenApplyThenNoChange()
    {
        var conf = _dir.Combine("app.conf");
        await File.WriteAllTextAsync(conf, "first\n# BEGIN managed\nold\n# END managed\nlast\n");
        var sls = $"""
            extra:
              file.accumulated:
                - filename: {conf}
                - text: from-accumulator
                - require_in:
                  - file: block
            block:
              file.blockreplace:
                - name: {conf}
                - marker_start: "# BEGIN managed"
                - marker_end: "# END managed"
                - content: "new line"
                - backup: .orig
            """;

        var test = await ApplyAsync("block", sls, test: true);
        Assert.Null(test["block"]["result"]);
        Assert.Equal("Changes would be made", test["block"]["comment"]);
        Assert.Equal($"Accumulator extra for file {conf} was charged by text", test["extra"]["comment"]);
        Assert.Equal("first\n# BEGIN managed\nold\n# END managed\nlast\n", await File.ReadAllTextAsync(conf));

        var real = await ApplyAsync("block", sls);
        Assert.Equal(true, real["block"]["result"]);
        Assert.Equal("Changes were made", real["block"]["comment"]);
        Assert.Equal("--- \n+++ \n@@ -1,5 +1,6 @@\n first\n # BEGIN managed\n-old\n+new line\n+from-accumulator\n # END managed\n last\n", Changes(real["block"])["diff"]);
        Assert.Equal("first\n# BEGIN managed\nnew line\nfrom-accumulator\n# END managed\nlast\n", await File.ReadAllTextAsync(conf));
        Assert.Equal("first\n# BEGIN managed\nold\n# END managed\nlast\n", await File.ReadAllTextAsync(conf + ".orig"));

        var again = await ApplyAsync("block", sls);
        Assert.Equal("No changes needed to be made", again["block"]["comment"]);
    }

    [Fact]
    public async Task Blockreplace_AppendIfNotFound_AndBadInput()
    {
        var conf = _dir.Combine("pg.conf");
        await File.WriteAllTextAsync(conf, "port = 1");
        var missing = _dir.Combine("missing.conf");
        var sls = $"""
            zone:
              file.blockreplace:
                - name: {conf}
                - marker_start: "# start"
                - marker_end: "# end"
                - content: "a = 1\nb = 2\n"
                - append_if_not_found: True
            nofile:
              file.blockreplace:
                - name: {missing}
            nomarkers:
              file.blockreplace:
                - name: {conf}
                - marker_start: "# other"
                - marker_end: "# other end"
            relative:
              file.blockreplace:
                - name: relative/path
            """;

        var r = await ApplyAsync("zone", sls);

        Assert.Equal("port = 1\n# start\na = 1\nb = 2\n# end\n", await File.ReadAllTextAsync(conf));
        Assert.Equal(false, r["nofile"]["result"]);
        Assert.Equal($"{missing}: file not found", r["nofile"]["comment"]);
        Assert.Equal(false, r["nomarkers"]["result"]);
        Assert.Equal("Encountered error managing block: Cannot edit marked block. Markers were not found in file.. See the log for details.", r["nomarkers"]["comment"]);
        Assert.Equal("Specified file relative/path is not an absolute path", r["relative"]["comment"]);
    }

    [Fact]
    public async Task Accumulated_FeedsManagedTemplate_AndOrphanFails()
    {
        var target = _dir.Combine("animals.txt");
        await File.WriteAllTextAsync(Path.Combine(_roots, "animals.txt"), "The quick brown fox{% for a in accumulator['things'] %}{{ a }}{% endfor %}\n");
        var sls = $"""
            things:
              file.accumulated:
                - filename: {target}
                - text: ' jumps over the lazy dog.'
                - require_in:
                  - file: animal_file
            animal_file:
              file.managed:
                - name: {target}
                - source: salt://animals.txt
                - template: jinja
            orphan:
              file.accumulated:
                - filename: {target}
                - text: nobody reads this
            """;

        var r = await ApplyAsync("animals", sls);

        Assert.Equal("The quick brown fox jumps over the lazy dog.\n", await File.ReadAllTextAsync(target));
        Assert.Equal(false, r["orphan"]["result"]);
        Assert.Equal("Orphaned accumulator orphan in animals:orphan", r["orphan"]["comment"]);
    }

    [Fact]
    public async Task Keyvalue_TestThenApply_AndMissingArguments()
    {
        var conf = _dir.Combine("sshd_config");
        await File.WriteAllTextAsync(conf, "#PermitRootLogin yes\nPort 22\n");
        var sls = $"""
            kv:
              file.keyvalue:
                - name: {conf}
                - key_values:
                    PermitRootLogin: 'no'
                    PasswordAuthentication: 'no'
                - separator: ' '
                - uncomment: '#'
                - append_if_not_found: True
            nokeys:
              file.keyvalue:
                - name: {conf}
            unreadable:
              file.keyvalue:
                - name: {_dir.Combine("nope")}
                - key: a
                - value: b
            """;

        var test = await ApplyAsync("kv", sls, test: true);
        Assert.Null(test["kv"]["result"]);
        Assert.StartsWith($"File {conf} is set to be changed (2 lines)\nPredicted diff:", (string)test["kv"]["comment"]!);
        Assert.Equal("#PermitRootLogin yes\nPort 22\n", await File.ReadAllTextAsync(conf));

        var real = await ApplyAsync("kv", sls);
        Assert.Equal(true, real["kv"]["result"]);
        Assert.Equal("Changed 2 lines", real["kv"]["comment"]);
        Assert.Equal("PermitRootLogin no\nPort 22\nPasswordAuthentication no\n", await File.ReadAllTextAsync(conf));
        Assert.Equal("file.keyvalue key and value not supplied and key_values is empty", real["nokeys"]["comment"]);
        Assert.Equal(false, real["nokeys"]["result"]);
        Assert.Equal(false, real["unreadable"]["result"]);
        Assert.Equal($"unable to open {_dir.Combine("nope")}", real["unreadable"]["comment"]);

        var again = await ApplyAsync("kv", sls);
        Assert.Equal(true, again["kv"]["result"]);
        Assert.Empty(Changes(again["kv"]));
    }

    [Fact]
    public async Task Serialize_JsonAndYaml_MergeIfExists_AndNoDataset()
    {
        var json = _dir.Combine("settings.json");
        var yaml = _dir.Combine("settings.yaml");
        await File.WriteAllTextAsync(json, "{\"keep\": 1, \"b\": 0}\n");
        var sls = $"""
            json_file:
              file.serialize:
                - name: {json}
                - formatter: json
                - merge_if_exists: True
                - dataset:
                    b: 2
                    a: [1, 2]
            yaml_file:
              file.serialize:
                - name: {yaml}
                - dataset:
                    name: web
                    ports: [80, 443]
            empty:
              file.serialize:
                - name: {_dir.Combine("empty.yaml")}
            """;

        var test = await ApplyAsync("ser", sls, test: true);
        Assert.Null(test["yaml_file"]["result"]);
        Assert.Equal($"Dataset will be serialized and stored into {yaml}", test["yaml_file"]["comment"]);
        Assert.False(File.Exists(yaml));

        var real = await ApplyAsync("ser", sls);
        Assert.Equal("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": 2,\n  \"keep\": 1\n}\n", await File.ReadAllTextAsync(json));
        Assert.Equal("name: web\nports:\n- 80\n- 443\n", await File.ReadAllTextAsync(yaml));
        Assert.Equal(false, real["empty"]["result"]);
        Assert.Equal("Neither 'dataset' nor 'dataset_pillar' was defined", real["empty"]["comment"]);

        var again = await ApplyAsync("ser", sls);
        Assert.Equal($"The file {json} is in the correct state", again["json_file"]["comment"]);
        Assert.Equal($"File {yaml} is in the correct state", again["yaml_file"]["comment"]);
    }

    [Fact]
    public async Task ModuleRun_BothSyntaxes_AndModuleWaitOnlyOnWatch()
    {
        var marker = _dir.Combine("watched.txt");
        var sls = $"""
            legacy:
              module.run:
                - name: test.echo
                - text: hello
            newstyle:
              module.run:
                - test.echo:
                  - text: world
                - test.true: []
            watched:
              file.managed:
                - name: {marker}
                - contents: one
            on_watch:
              module.wait:
                - name: test.echo
                - text: ran
                - watch:
                  - file: watched
            idle:
              module.wait:
                - name: test.echo
                - text: never
            missing:
              module.run:
                - name: no_such.function
            """;

        var test = await ApplyAsync("mods", sls, test: true);
        Assert.Equal("Module function test.echo is set to execute", test["legacy"]["comment"]);
        Assert.Null(test["legacy"]["result"]);
        Assert.Equal("Functions test.echo, test.true to be executed.".Replace("Functions", "FunctionTrue"), test["newstyle"]["comment"]);
        Assert.Equal("Module function test.echo is set to execute", test["on_watch"]["comment"]);

        var real = await ApplyAsync("mods", sls);
        Assert.Equal("Module function test.echo executed", real["legacy"]["comment"]);
        Assert.Equal("hello", Changes(real["legacy"])["ret"]);
        Assert.Equal(true, real["newstyle"]["result"]);
        Assert.Equal("test.echo: world, test.true: True", real["newstyle"]["comment"]);
        Assert.Equal("ran", Changes(real["on_watch"])["ret"]);
        Assert.Empty(Changes(real["idle"]));
        Assert.Equal(false, real["missing"]["result"]);
        Assert.Equal("Module function no_such.function is not available", real["missing"]["comment"]);

        var again = await ApplyAsync("mods", sls);
        Assert.Empty(Changes(again["on_watch"]));
    }

    [Fact]
    public async Task SshAuth_PresentAbsent_InAuthorizedKeysUnderTempPath()
    {
        var keys = _dir.Combine("home", ".ssh", "authorized_keys");
        await File.WriteAllTextAsync(Path.Combine(_roots, "team.pub"), $"ssh-ed25519 {Key2} team@host\n");
        var user = Environment.UserName;
        var sls = $"""
            inline:
              ssh_auth.present:
                - name: {Key1}
                - user: {user}
                - enc: ed25519
                - comment: me@host
                - options: [no-pty]
                - config: {keys}
            fromfile:
              ssh_auth.present:
                - user: {user}
                - source: salt://team.pub
                - config: {keys}
            """;

        var test = await ApplyAsync("auth", sls, test: true);
        Assert.Null(test["inline"]["result"]);
        Assert.Equal($"Key {Key1} for user {user} is set to be added", test["inline"]["comment"]);
        Assert.Equal($"Set to add: {Key2}\n", test["fromfile"]["comment"]);
        Assert.False(File.Exists(keys));

        var real = await ApplyAsync("auth", sls);
        Assert.Equal($"The authorized host key {Key1} for user {user} was added", real["inline"]["comment"]);
        Assert.Equal("New", Changes(real["inline"])[Key1]);
        Assert.Equal($"no-pty ssh-ed25519 {Key1} me@host\nssh-ed25519 {Key2} team@host\n", await File.ReadAllTextAsync(keys));
        Assert.Equal("0600", Convert.ToString((int)File.GetUnixFileMode(keys), 8).PadLeft(4, '0'));

        var again = await ApplyAsync("auth", sls);
        Assert.Equal($"The authorized host key {Key1} is already present for user {user}", again["inline"]["comment"]);

        var removal = $"""
            gone:
              ssh_auth.absent:
                - name: ssh-ed25519 {Key1} me@host
                - user: {user}
                - config: {keys}
            nouser:
              ssh_auth.present:
                - name: {Key1}
                - user: orch-no-such-user
                - config: {keys}
            badkey:
              ssh_auth.present:
                - name: not-base64!
                - user: {user}
                - config: {keys}
            """;
        var removed = await ApplyAsync("unauth", removal);
        Assert.Equal("Key removed", removed["gone"]["comment"]);
        Assert.Equal("Removed", Changes(removed["gone"])[Key1]);
        Assert.Equal($"ssh-ed25519 {Key2} team@host\n", await File.ReadAllTextAsync(keys));
        Assert.Equal(false, removed["nouser"]["result"]);
        Assert.Equal(false, removed["badkey"]["result"]);
        Assert.Equal("Invalid public ssh key, most likely has spaces or invalid syntax", removed["badkey"]["comment"]);
    }

    [Fact]
    public async Task SshKnownHosts_PresentAbsent_WithGivenKey()
    {
        var known = _dir.Combine("known_hosts");
        var sls = $"""
            host:
              ssh_known_hosts.present:
                - name: buildhost.example
                - key: {Key1}
                - enc: ssh-ed25519
                - hash_known_hosts: False
                - config: {known}
            """;
        var bad = $"""
            both:
              ssh_known_hosts.present:
                - name: other.example
                - key: {Key1}
                - fingerprint: 16:27:ac
                - config: {known}
            relative:
              ssh_known_hosts.present:
                - name: other.example
                - config: relative/known_hosts
            """;

        var test = await ApplyAsync("known", sls, test: true);
        Assert.Equal($"Key for buildhost.example is set to be added to {known}", test["host"]["comment"]);
        var refused = await ApplyAsync("knownbad", bad, test: true);
        Assert.Equal("Specify either \"key\" or \"fingerprint\", not both.", refused["both"]["comment"]);
        Assert.Equal(false, refused["relative"]["result"]);
        Assert.Equal("If not specifying a \"user\", specify an absolute \"config\".", refused["relative"]["comment"]);

        var real = await ApplyAsync("known", sls);
        Assert.Equal($"buildhost.example's key saved to {known} (key: {Key1})", real["host"]["comment"]);
        Assert.Equal($"buildhost.example ssh-ed25519 {Key1}\n", await File.ReadAllTextAsync(known));

        var again = await ApplyAsync("known", sls, test: true);
        Assert.Equal($"Host buildhost.example is already in {known}", again["host"]["comment"]);

        var absent = $"""
            drop:
              ssh_known_hosts.absent:
                - name: buildhost.example
                - config: {known}
            """;
        Assert.Equal($"Key for buildhost.example is set to be removed from {known}", (await ApplyAsync("unknown", absent, test: true))["drop"]["comment"]);
        var dropped = await ApplyAsync("unknown", absent);
        Assert.Equal(true, dropped["drop"]["result"]);
        Assert.DoesNotContain("buildhost.example", await File.ReadAllTextAsync(known));
        Assert.Equal("Host is already absent", (await ApplyAsync("unknown", absent))["drop"]["comment"]);
    }

    [Fact]
    public async Task GitConfig_SetUnset_InRealRepository()
    {
        var repo = _dir.Combine("repo");
        Directory.CreateDirectory(repo);
        using (var init = System.Diagnostics.Process.Start("git", ["-C", repo, "init", "-q"]))
        {
            await init.WaitForExitAsync();
        }
        var sls = $"""
            email:
              git.config_set:
                - name: user.email
                - value: dev@example.com
                - repo: {repo}
            multi:
              git.config_set:
                - name: remote.origin.push
                - multivar: [a, b]
                - repo: {repo}
            noscope:
              git.config_set:
                - name: user.name
                - value: x
            """;

        var test = await ApplyAsync("gitcfg", sls, test: true);
        Assert.Equal("'user.email' would be added as 'dev@example.com'", test["email"]["comment"]);
        Assert.Null(test["email"]["result"]);
        Assert.Equal(false, test["noscope"]["result"]);
        Assert.Equal("Non-global config options require the 'repo' argument to be set", test["noscope"]["comment"]);

        var real = await ApplyAsync("gitcfg", sls);
        Assert.Equal("'user.email' was added as 'dev@example.com'", real["email"]["comment"]);
        Assert.Equal("'remote.origin.push' was added as ['a', 'b']", real["multi"]["comment"]);
        Assert.Contains("email = dev@example.com", await File.ReadAllTextAsync(Path.Combine(repo, ".git", "config")));
        Assert.Equal("'user.email' is already set to 'dev@example.com'", (await ApplyAsync("gitcfg", sls))["email"]["comment"]);

        var unset = $"""
            drop:
              git.config_unset:
                - name: 'remote\.origin\..+'
                - all: True
                - repo: {repo}
            greedy:
              git.config_unset:
                - name: remote.origin.push
                - repo: {repo}
            nouser:
              git.config_set:
                - name: user.name
                - value: x
                - user: orch-no-such-user
                - global: True
            """;
        var dry = await ApplyAsync("gitunset", unset, test: true);
        Assert.Equal("1 key(s) would have value(s) unset", dry["drop"]["comment"]);
        Assert.Equal(false, dry["greedy"]["result"]);
        Assert.Equal("Multivar(s) matched by the key expression (set 'all' to True to force removal): remote.origin.push (a, b)", dry["greedy"]["comment"]);
        Assert.Equal(false, dry["nouser"]["result"]);
        Assert.EndsWith("salt.exceptions.CommandExecutionError: User 'orch-no-such-user' is not available\n", (string)dry["nouser"]["comment"]!);
    }
}

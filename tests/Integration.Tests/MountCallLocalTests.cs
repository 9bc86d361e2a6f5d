using Orchestrator.Minion.Modules.Providers;
using Orchestrator.Shared.Data;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: a tree that mounts a tmpfs on a temp mount point and keeps it in its own fstab file (never /etc/fstab), and
/// comments out a line of a config file, run through <c>orch call</c> (the real CLI and minion code, real mount commands):
/// test mode reports what Salt reports and changes nothing; the real run mounts, writes the fstab and edits the file; the
/// second run is clean; <c>mount.unmounted</c> undoes it. <c>sys.state_doc mount</c> documents the module.
/// </summary>
[Trait("Category", "Integration")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MountCallLocalTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _config;
    private readonly string _roots;
    private readonly string _point;
    private readonly string _fstab;
    private readonly string _conf;

    public MountCallLocalTests()
    {
        _config = _dir.Combine("conf");
        _roots = _dir.Combine("roots");
        _point = _dir.Combine("mnt", "scratch");
        _fstab = _dir.Combine("fstab");
        _conf = _dir.Combine("server.conf");
        Directory.CreateDirectory(_config);
        Directory.CreateDirectory(Path.Combine(_roots, "scratch"));
        File.WriteAllText(Path.Combine(_config, "minion"),
            $"id: mount1\nfile_client: local\npki_dir: {_dir.Combine("pki")}\ncachedir: {_dir.Combine("cache")}\nfile_roots:\n  base:\n    - {_roots}\n");
        File.WriteAllText(_fstab, "# fstab of this test\n");
        File.WriteAllText(_conf, "listen = '*'\nport = 5432\n");
        File.WriteAllText(Path.Combine(_roots, "scratch", "map.jinja"),
            $"{{% set scratch = {{'point': '{_point}', 'fstab': '{_fstab}', 'conf': '{_conf}', 'opts': ['defaults', 'noatime']}} %}}\n");
        File.WriteAllText(Path.Combine(_roots, "scratch", "init.sls"), """
            {% from tpldir ~ "/map.jinja" import scratch with context %}
            scratch-mounted:
              mount.mounted:
                - name: {{ scratch.point }}
                - device: tmpfs
                - fstype: tmpfs
                - mkmnt: True
                - opts: {{ scratch.opts | json }}
                - config: {{ scratch.fstab }}
            scratch-conf-comment-port:
              file.comment:
                - name: {{ scratch.conf }}
                - regex: ^port\s*=.+
                - require:
                  - mount: scratch-mounted
            """);
        File.WriteAllText(Path.Combine(_roots, "scratch", "clean.sls"), $"""
            scratch-unmounted:
              mount.unmounted:
                - name: {_point}
                - config: {_fstab}
                - persist: True
            """);
    }

    public void Dispose()
    {
        if (IsMounted(_point))
        {
            new SystemProcessRunner().RunAsync(new ProcessRequest("umount", [_point]), CancellationToken.None).GetAwaiter().GetResult();
        }
        _dir.Dispose();
    }

    private static bool IsMounted(string point) => File.ReadAllLines("/proc/self/mountinfo").Any(l => l.Split(' ')[4] == point);

    private static bool CanMount(string dir)
    {
        if (Environment.UserName != "root")
        {
            return false;
        }
        Directory.CreateDirectory(dir);
        var runner = new SystemProcessRunner();
        var ok = runner.RunAsync(new ProcessRequest("mount", ["-t", "tmpfs", "tmpfs", dir]), CancellationToken.None).GetAwaiter().GetResult().ExitCode == 0;
        if (ok)
        {
            runner.RunAsync(new ProcessRequest("umount", [dir]), CancellationToken.None).GetAwaiter().GetResult();
        }
        Directory.Delete(dir);
        return ok;
    }

    private async Task<CliResult> Call(params string[] words)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await Cli.CliApp.RunAsync(["call", "-c", _config, "--out", "json", .. words], stdout, stderr, CancellationToken.None);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    private static Dictionary<string, object?> Local(CliResult result) =>
        Assert.IsType<Dictionary<string, object?>>(Assert.IsType<Dictionary<string, object?>>(DataTree.FromJson(result.Stdout))["local"]);

    private static Dictionary<string, object?> State(Dictionary<string, object?> states, string prefix) =>
        Assert.IsType<Dictionary<string, object?>>(states.Single(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Value);

    [Fact]
    public async Task MountedAndComment_TestRunThenRealRunThenUnmounted()
    {
        if (!CanMount(_dir.Combine("probe")))
        {
            return;
        }

        var test = Local(await Call("state.apply", "scratch", "test=True"));
        var wouldMount = State(test, "mount_|-scratch-mounted_|-");
        Assert.Null(wouldMount["result"]);
        Assert.Equal($"{_point} would be created and mounted", wouldMount["comment"]);
        Assert.False(Directory.Exists(_point));
        Assert.Equal("# fstab of this test\n", File.ReadAllText(_fstab));
        Assert.Null(State(test, "file_|-scratch-conf-comment-port_|-")["result"]);
        Assert.Equal("listen = '*'\nport = 5432\n", File.ReadAllText(_conf));

        var real = await Call("state.apply", "scratch");
        Assert.Equal(0, real.ExitCode);
        var mounted = State(Local(real), "mount_|-scratch-mounted_|-");
        Assert.Equal(true, mounted["result"]);
        Assert.Equal("Target was successfully mounted. Added new entry to the fstab.", mounted["comment"]);
        Assert.True(IsMounted(_point));
        Assert.Equal($"# fstab of this test\ntmpfs\t\t{_point}\ttmpfs\tdefaults,noatime\t0 0\n", File.ReadAllText(_fstab));
        Assert.Equal("listen = '*'\n#port = 5432\n", File.ReadAllText(_conf));

        var again = Local(await Call("state.apply", "scratch"));
        Assert.Equal("Target was already mounted. Entry already exists in the fstab.", State(again, "mount_|-scratch-mounted_|-")["comment"]);
        Assert.Equal("Pattern already commented", State(again, "file_|-scratch-conf-comment-port_|-")["comment"]);
        Assert.All(again.Values, s => Assert.Empty(Assert.IsType<Dictionary<string, object?>>(((Dictionary<string, object?>)s!)["changes"])));

        var clean = Local(await Call("state.apply", "scratch.clean"));
        var unmounted = State(clean, "mount_|-scratch-unmounted_|-");
        Assert.Equal(true, unmounted["result"]);
        Assert.Equal("Target was successfully unmounted. Removed target from fstab", unmounted["comment"]);
        Assert.False(IsMounted(_point));
        Assert.Equal("# fstab of this test\n", File.ReadAllText(_fstab));
    }

    [Fact]
    public async Task Mounted_WithoutItsMountPoint_FailsThroughTheCli()
    {
        File.WriteAllText(Path.Combine(_roots, "bad.sls"), $"""
            nowhere:
              mount.mounted:
                - name: {_dir.Combine("no", "such", "dir")}
                - device: tmpfs
                - fstype: tmpfs
                - config: {_fstab}
            """);

        var result = await Call("state.apply", "bad");

        Assert.NotEqual(0, result.ExitCode);
        var state = State(Local(result), "mount_|-nowhere_|-");
        Assert.Equal(false, state["result"]);
        Assert.Equal("Mount directory is not present", state["comment"]);
        Assert.Equal("# fstab of this test\n", File.ReadAllText(_fstab));
    }

    [Fact]
    public async Task StateDoc_DescribesTheMountAndFileCommentStates()
    {
        var docs = Local(await Call("sys.state_doc", "mount", "file.comment", "file.uncomment"));

        Assert.Contains("Mounting of filesystems", docs["mount"] as string, StringComparison.Ordinal);
        Assert.Contains("Verify that a device is mounted", docs["mount.mounted"] as string, StringComparison.Ordinal);
        Assert.Contains("persist", docs["mount.mounted"] as string, StringComparison.Ordinal);
        Assert.Contains("Verify that a device is not mounted", docs["mount.unmounted"] as string, StringComparison.Ordinal);
        Assert.Contains("fstab mount point is present", docs["mount.fstab_present"] as string, StringComparison.Ordinal);
        Assert.Contains("fstab mount point is absent", docs["mount.fstab_absent"] as string, StringComparison.Ordinal);
        Assert.Contains("Comment out specified lines", docs["file.comment"] as string, StringComparison.Ordinal);
        Assert.Contains("Uncomment specified commented lines", docs["file.uncomment"] as string, StringComparison.Ordinal);
    }
}

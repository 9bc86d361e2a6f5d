using System.Diagnostics;
using Orchestrator.Testing;

namespace Orchestrator.Integration.Tests;

/// <summary>
/// Scenario: the real executables as an operator runs them. A master and a minion started as processes from their config
/// files stop cleanly on SIGTERM; a bad config value stops start-up naming the key and file; orch call --local runs a module
/// on this host with no master.
/// </summary>
[Trait("Category", "Integration")]
[Collection("cluster")]
public sealed class DaemonProcessTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Sends a signal the way an operator or an init system does.</summary>
    private static int Kill(int pid, int signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        return kill.ExitCode;
    }

    private static Process Start(string program, params string[] args) => Executables.Start(program, drain: false, args);

    private string WriteConfig(string name, string file, string yaml)
    {
        var dir = _dir.Combine(name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, file), yaml);
        return dir;
    }

    /// <summary>Starts orch-master and one orch-minion (proc1) as processes and waits until the minion answers through them.</summary>
    private async Task<(Process Master, Process Minion, string MasterDir)> StartMasterAndMinionAsync()
    {
        var (pub, ret) = (Executables.FreePort(), Executables.FreePort());
        var masterDir = WriteConfig("master", "master", $"""
            interface: 127.0.0.1
            publish_port: {pub}
            ret_port: {ret}
            pki_dir: {_dir.Combine("m", "pki")}
            cachedir: {_dir.Combine("m", "cache")}
            sock_dir: {_dir.Combine("m", "sock")}
            auto_accept: true
            log_file: {_dir.Combine("m", "master.log")}
            log_level: quiet
            """);
        var minionDir = WriteConfig("minion", "minion", $"""
            id: proc1
            master: 127.0.0.1
            master_port: {ret}
            publish_port: {pub}
            pki_dir: {_dir.Combine("n", "pki")}
            cachedir: {_dir.Combine("n", "cache")}
            log_file: {_dir.Combine("n", "minion.log")}
            log_level: quiet
            heartbeat_interval: 1
            """);
        var master = Start("orch-master", "-c", masterDir);
        var minion = Start("orch-minion", "-c", minionDir);
        await Poll.UntilAsync(() => File.Exists(_dir.Combine("m", "sock", "master.ipc")), "master socket");
        await Poll.UntilAsync(async () =>
        {
            var exit = await Cli.CliApp.RunAsync(["-c", masterDir, "proc1", "test.ping"], new StringWriter(), new StringWriter(), CancellationToken.None);
            return exit == 0;
        }, "minion answering through the real daemons");
        return (master, minion, masterDir);
    }

    [Theory]
    [InlineData(9, "lost the master")]
    [InlineData(19, "did not answer within")]
    public async Task MasterKilledOrFrozenWhileTheCliWaits_CliFailsWithAClearMessage(int signal, string message)
    {
        var (master, minion, masterDir) = await StartMasterAndMinionAsync();
        using var _ = master;
        using var __ = minion;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var waiting = Cli.CliApp.RunAsync(["-c", masterDir, "-t", "3", "proc1", "test.sleep", "30"], stdout, stderr, CancellationToken.None);
        await Poll.UntilAsync(async () =>
        {
            var active = new StringWriter();
            await Cli.CliApp.RunAsync(["run", "-c", masterDir, "jobs.active", "--out", "json"], active, new StringWriter(), CancellationToken.None);
            return active.ToString().Contains("test.sleep", StringComparison.Ordinal);
        }, "the job running");

        Assert.Equal(0, Kill(master.Id, signal));
        var exit = await waiting.WaitAsync(TimeSpan.FromSeconds(60));
        Kill(master.Id, 9);
        Kill(minion.Id, 9);

        Assert.NotEqual(0, exit);
        Assert.Contains(message, stderr.ToString());
    }

    [Fact]
    public async Task Sigterm_StopsMasterAndMinionCleanly()
    {
        var (master, minion, masterDir) = await StartMasterAndMinionAsync();
        using var _ = master;
        using var __ = minion;
        var socket = _dir.Combine("m", "sock", "master.ipc");
        // The daemons' logs name jobs and arguments: owner-only, as everything the daemons write under their umask.
        foreach (var log in new[] { _dir.Combine("m", "master.log"), _dir.Combine("n", "minion.log") })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(log));
        }

        Assert.Equal(0, Kill(minion.Id, 15));
        Assert.Equal(0, Kill(master.Id, 15));
        await minion.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        await master.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, master.ExitCode);
        Assert.Equal(0, minion.ExitCode);
        Assert.False(File.Exists(socket));
        Assert.Contains("Master shutting down", await File.ReadAllTextAsync(_dir.Combine("m", "master.log")));
        Assert.Contains("Minion shutting down", await File.ReadAllTextAsync(_dir.Combine("n", "minion.log")));
    }

    [Fact]
    public async Task InvalidConfigValue_StopsStartupNamingKeyAndFile_UnknownKeyIsWarned()
    {
        var dir = WriteConfig("bad", "master", "publish_port: lots\n");
        using var bad = Start("orch-master", "-c", dir);
        var badErr = await bad.StandardError.ReadToEndAsync();
        await bad.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(78, bad.ExitCode);
        Assert.Contains("publish_port", badErr);
        Assert.Contains(Path.Combine(dir, "master"), badErr);

        var minionDir = WriteConfig("typo", "minion", $"id: typo1\nmaster: 127.0.0.1\nmaster_port: {Executables.FreePort()}\nmastr: oops\npki_dir: {_dir.Combine("t", "pki")}\ncachedir: {_dir.Combine("t", "cache")}\n");
        using var typo = Start("orch-minion", "-c", minionDir);
        var line = await typo.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, Kill(typo.Id, 15));
        await typo.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("unknown configuration key 'mastr'", line);
    }

    [Fact]
    public async Task NoMasterConfigured_CallAndDaemonSaySoAtOnce_FileClientLocalRunsMasterless()
    {
        var dir = WriteConfig("nomaster", "minion", $"id: lonely1\npki_dir: {_dir.Combine("nm", "pki")}\ncachedir: {_dir.Combine("nm", "cache")}\n");
        var stderr = new StringWriter();
        var call = await Cli.CliApp.RunAsync(["call", "-c", dir, "test.ping"], new StringWriter(), stderr, CancellationToken.None);
        using var daemon = Start("orch-minion", "-c", dir);
        var daemonErr = await daemon.StandardError.ReadToEndAsync();
        await daemon.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        var masterless = WriteConfig("masterless", "minion", $"id: lonely2\nfile_client: local\npki_dir: {_dir.Combine("ml", "pki")}\ncachedir: {_dir.Combine("ml", "cache")}\n");
        var stdout = new StringWriter();
        var local = await Cli.CliApp.RunAsync(["call", "-c", masterless, "--out", "json", "test.ping"], stdout, new StringWriter(), CancellationToken.None);

        Assert.Equal(2, call);
        Assert.Contains("no master is configured", stderr.ToString());
        Assert.Equal(78, daemon.ExitCode);
        Assert.Contains("no master is configured", daemonErr);
        Assert.Equal(0, local);
        Assert.Contains("\"local\": true", stdout.ToString());
    }

    [Fact]
    public async Task CallLocal_RunsModulesAndStatesWithNoMaster()
    {
        var dir = WriteConfig("local", "minion", $"id: local1\npki_dir: {_dir.Combine("l", "pki")}\ncachedir: {_dir.Combine("l", "cache")}\n");
        var roots = _dir.Combine("roots");
        Directory.CreateDirectory(roots);
        var target = _dir.Combine("out.txt");
        await File.WriteAllTextAsync(Path.Combine(roots, "hello.sls"), $"hello:\n  file.managed:\n    - name: {target}\n    - contents: {{{{ grains['id'] }}}}\n");
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var ping = await Cli.CliApp.RunAsync(["call", "--local", "-c", dir, "test.ping", "--out=json"], stdout, stderr, CancellationToken.None);
        var typo = await Cli.CliApp.RunAsync(["call", "--local", "-c", dir, "test.ping", "--outt", "json"], stdout, stderr, CancellationToken.None);
        var apply = await Cli.CliApp.RunAsync(["call", "--local", "-c", dir, "--file-root", roots, "state.apply", "hello"], stdout, stderr, CancellationToken.None);

        Assert.Equal(0, ping);
        Assert.Contains("\"local\": true", stdout.ToString());
        Assert.Equal(2, typo);
        Assert.Contains("unknown option '--outt'", stderr.ToString());
        Assert.True(apply == 0, stdout + stderr.ToString());
        Assert.Equal("local1\n", await File.ReadAllTextAsync(target));
        Assert.Contains("Succeeded: 1 (changed=1)", stdout.ToString());
    }
}

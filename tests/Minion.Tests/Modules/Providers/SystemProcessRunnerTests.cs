using Orchestrator.Minion.Modules;
using Orchestrator.Minion.Modules.Providers;

namespace Orchestrator.Minion.Tests.Modules.Providers;

public sealed class SystemProcessRunnerTests
{
    private readonly SystemProcessRunner _runner = new(drainGrace: TimeSpan.FromMilliseconds(200));

    private static ProcessRequest Sh(string script) => new("/bin/sh", ["-c", script]);

    [Fact]
    public async Task Run_LargeOutputOnBothStreams_DoesNotDeadlock()
    {
        var result = await _runner.RunAsync(
            Sh("head -c 300000 /dev/zero | tr '\\0' o; head -c 300000 /dev/zero | tr '\\0' e >&2"), CancellationToken.None);
        Assert.Equal(300000, result.Stdout.Length);
        Assert.Equal(300000, result.Stderr.Length);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Run_LargeStdin_IsFullyDelivered()
    {
        var input = new string('x', 500000);
        var result = await _runner.RunAsync(Sh("wc -c") with { Stdin = input }, CancellationToken.None);
        Assert.Equal("500000", result.Stdout.Trim());
    }

    [Fact]
    public async Task Run_StdinIgnoredByProcess_DoesNotFail()
    {
        var result = await _runner.RunAsync(Sh("exit 0") with { Stdin = new string('x', 500000) }, CancellationToken.None);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Run_Timeout_MarksTimedOutAndReturnsPartialOutput()
    {
        var result = await _runner.RunAsync(Sh("echo started; sleep 30") with { Timeout = TimeSpan.FromMilliseconds(300) }, CancellationToken.None);
        Assert.True(result.TimedOut);
        Assert.Equal("started\n", result.Stdout);
    }

    [Fact]
    public async Task Run_BackgroundChildHoldsPipes_ReturnsAfterGrace()
    {
        // The child holds the pipes for ten minutes; the run must end after the grace, not wait for it (the guard only
        // keeps a broken runner from hanging the suite).
        var result = await _runner.RunAsync(Sh("sleep 600 & echo $!"), CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        using var child = System.Diagnostics.Process.GetProcessById(int.Parse(result.Stdout.Trim()));
        Assert.False(child.HasExited);
        child.Kill();
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Run_Finished_ClosesItsEndsOfTheOutputPipes()
    {
        // The command names its stdout and stderr pipes; once the run is over, no descriptor of this process may still
        // point at either (the inodes are the command's own, so other tests' pipes do not count).
        var result = await _runner.RunAsync(Sh("readlink /proc/self/fd/1; readlink /proc/self/fd/2 >&2"), CancellationToken.None);
        var pipes = new[] { result.Stdout.Trim(), result.Stderr.Trim() };
        Assert.All(pipes, p => Assert.StartsWith("pipe:[", p));

        var open = Directory.EnumerateFileSystemEntries("/proc/self/fd")
            .Select(fd => { try { return new FileInfo(fd).LinkTarget; } catch (IOException) { return null; } })
            .Where(target => target is not null && pipes.Contains(target))
            .ToList();

        Assert.Empty(open);
    }

    [Fact]
    public async Task Run_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _runner.RunAsync(Sh("sleep 30"), cts.Token));
    }

    [Fact]
    public async Task Run_ClearEnvironmentAndRemoveVariable()
    {
        var cleared = await _runner.RunAsync(new ProcessRequest("/usr/bin/env", []) { ClearEnvironment = true, Environment = new Dictionary<string, string?> { ["ONLY"] = "1" } },
            CancellationToken.None);
        Assert.Equal("ONLY=1", cleared.Stdout.Trim());
        var removed = await _runner.RunAsync(Sh("echo ${HOME:-unset}") with { Environment = new Dictionary<string, string?> { ["HOME"] = null } },
            CancellationToken.None);
        Assert.Equal("unset", removed.Stdout.Trim());
    }

    [Fact]
    public async Task Run_MissingExecutable_ThrowsModuleException() =>
        await Assert.ThrowsAsync<ModuleException>(() => _runner.RunAsync(new ProcessRequest("/no/such/binary", []), CancellationToken.None));

    [Fact]
    public async Task Run_RunAsNobody_ChangesUser()
    {
        if (Environment.UserName != "root" || !File.Exists("/usr/sbin/runuser") && !File.Exists("/sbin/runuser"))
        {
            return; // runas needs root and runuser; CI runs as root.
        }
        var result = await _runner.RunAsync(new ProcessRequest("id", ["-un"]) { RunAs = "nobody", WorkingDirectory = "/" }, CancellationToken.None);
        Assert.Equal("nobody", result.Stdout.Trim());
    }

    [Fact]
    public async Task Run_MergeStderr_KeepsArrivalOrder()
    {
        var result = await _runner.RunAsync(Sh("echo 1; sleep 0.05; echo 2 >&2; sleep 0.05; echo 3") with { MergeStderr = true }, CancellationToken.None);
        Assert.Equal("1\n2\n3\n", result.Stdout);
        Assert.Equal(string.Empty, result.Stderr);
    }
}

using Orchestrator.Minion.Modules.Providers;
using Orchestrator.Testing;
using static Orchestrator.Testing.ModuleHarness;

namespace Orchestrator.Minion.Tests.Modules.Execution;

public sealed class CmdModuleTests : IDisposable
{
    private readonly ModuleHarness _harness = Builtin();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Run_Echo_ReturnsStdout() => Assert.Equal("hello", await _harness.ReturnAsync("cmd.run", "echo hello"));

    [Fact]
    public async Task Run_ShellPipeline_RunsThroughShell() =>
        Assert.Equal("B", await _harness.ReturnAsync("cmd.run", "echo abc | tr a-z A-Z | cut -c2"));

    [Fact]
    public async Task Run_StderrMergedIntoOutput() =>
        Assert.Equal("out\nerr", await _harness.ReturnAsync("cmd.run", "echo out; sleep 0.05; echo err >&2"));

    [Fact]
    public async Task Run_FailingCommand_SetsRetcode()
    {
        var result = await _harness.InvokeAsync("cmd.run", "echo nope; exit 3");
        Assert.Equal("nope", result.Return);
        Assert.Equal(3, result.Retcode);
        Assert.False(result.Success);
    }

    [Fact]
    public async Task Run_IgnoreRetcode_Succeeds()
    {
        var result = await _harness.InvokeAsync("cmd.run", ["exit 3"], Kw(("ignore_retcode", true)));
        Assert.True(result.Success);
    }

    [Fact]
    public async Task Run_SuccessRetcodes_Succeeds()
    {
        var result = await _harness.InvokeAsync("cmd.run", ["exit 2"], Kw(("success_retcodes", new List<object?> { 2L })));
        Assert.True(result.Success);
    }

    [Fact]
    public async Task RunAll_ReturnsPidRetcodeStdoutStderr()
    {
        var result = (Dictionary<string, object?>)(await _harness.InvokeAsync("cmd.run_all", "echo out; echo err >&2; exit 4")).Return!;
        Assert.Equal("out", result["stdout"]);
        Assert.Equal("err", result["stderr"]);
        Assert.Equal(4L, result["retcode"]);
        Assert.True((long)result["pid"]! > 0);
    }

    [Fact]
    public async Task Run_Cwd_RunsInDirectory()
    {
        var dir = _harness.Path();
        Assert.Equal(dir, await _harness.ReturnAsync("cmd.run", ["pwd"], Kw(("cwd", dir))));
    }

    [Fact]
    public async Task Run_MissingCwd_FailsCleanly()
    {
        var result = await _harness.InvokeAsync("cmd.run", ["pwd"], Kw(("cwd", "/nonexistent/dir")));
        Assert.False(result.Success);
        Assert.Contains("does not exist", (string)result.Return!);
    }

    [Fact]
    public async Task Run_Env_AddsVariables() =>
        Assert.Equal("bar-1", await _harness.ReturnAsync("cmd.run", ["echo $FOO-$NUM"],
            Kw(("env", new Dictionary<string, object?> { ["FOO"] = "bar", ["NUM"] = 1L }))));

    [Fact]
    public async Task Run_Stdin_IsFedToProcess() =>
        Assert.Equal("2", await _harness.ReturnAsync("cmd.run", ["wc -l"], Kw(("stdin", "one\ntwo\n"))));

    [Fact]
    public async Task Run_StdinEscapedNewlines_AreTranslated() =>
        Assert.Equal("b", await _harness.ReturnAsync("cmd.run", ["tail -n 1"], Kw(("stdin", "a\\nb"))));

    [Fact]
    public async Task Run_NoStdin_GetsEndOfFile() => Assert.Equal("0", await _harness.ReturnAsync("cmd.run", "wc -c"));

    [Fact]
    public async Task Run_Timeout_KillsProcessTreeWithMessage()
    {
        var marker = _harness.Path("marker");
        var result = await _harness.InvokeAsync("cmd.run", [$"sh -c 'sleep 30; touch {marker}' & sleep 30"], Kw(("timeout", 0.3)));
        Assert.Contains("Timed out after 0.3 seconds", (string)result.Return!);
        Assert.Equal(1, result.Retcode);
        var orphans = await _harness.ReturnAsync("cmd.run", ["pgrep -f '[s]leep 30; touch " + marker + "' || true"], null);
        Assert.Equal(string.Empty, orphans);
    }

    [Fact]
    public async Task Run_Cancelled_KillsAndThrows()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _harness.InvokeAsync("cmd.run", ["sleep 30"], null, cts.Token));
    }

    [Fact]
    public async Task Run_RunasNobody_RunsAsThatUser()
    {
        if (Environment.UserName != "root" || CmdModuleProbe.Which("runuser") is null)
        {
            return; // runas needs root and runuser; CI runs as root.
        }
        Assert.Equal("nobody", await _harness.ReturnAsync("cmd.run", ["id -un"], Kw(("runas", "nobody"))));
    }

    [Fact]
    public async Task Run_RunasWithTimeout_KillsUserProcess()
    {
        if (Environment.UserName != "root" || CmdModuleProbe.Which("runuser") is null)
        {
            return; // runas needs root and runuser; CI runs as root.
        }
        var tag = "orch-runas-" + Some.Int();
        var result = await _harness.InvokeAsync("cmd.run", [$"sleep 30; echo {tag}"], Kw(("runas", "nobody"), ("timeout", 0.3)));
        Assert.Contains("Timed out", (string)result.Return!);
        Assert.Equal(string.Empty, await _harness.ReturnAsync("cmd.run", [$"pgrep -u nobody -f '[s]leep 30; echo {tag}' || true"], null));
    }

    [Fact]
    public async Task Run_RunasUnknownUser_FailsCleanly()
    {
        var result = await _harness.InvokeAsync("cmd.run", ["id"], Kw(("runas", "no-such-user-" + Some.Int())));
        Assert.False(result.Success);
        Assert.Contains("is not available", (string)result.Return!);
    }

    [Fact]
    public async Task Run_PythonShellFalse_DoesNotInterpretShellSyntax() =>
        Assert.Equal("a | b", await _harness.ReturnAsync("cmd.run", ["echo 'a | b'"], Kw(("python_shell", false))));

    [Fact]
    public async Task Run_PythonShellFalseMissingExecutable_FailsCleanly()
    {
        var result = await _harness.InvokeAsync("cmd.run", ["no-such-binary-xyz"], Kw(("python_shell", false)));
        Assert.False(result.Success);
        Assert.Contains("Unable to run command", (string)result.Return!);
    }

    [Fact]
    public async Task Run_CustomShell_IsUsed() =>
        Assert.Equal("bash", await _harness.ReturnAsync("cmd.run", ["echo ${BASH_VERSION:+bash}"], Kw(("shell", "/bin/bash"))));

    [Fact]
    public async Task Run_HideOutput_ReturnsEmpty() =>
        Assert.Equal(string.Empty, await _harness.ReturnAsync("cmd.run", ["echo secret"], Kw(("hide_output", true))));

    [Fact]
    public async Task Retcode_ReturnsExitCode() => Assert.Equal(5L, (await _harness.InvokeAsync("cmd.retcode", "exit 5")).Return);

    [Fact]
    public async Task Shell_RunsThroughShell() => Assert.Equal("x", await _harness.ReturnAsync("cmd.shell", "echo x | cat"));

    [Fact]
    public async Task RunStdoutAndStderr_ReturnOneStream()
    {
        Assert.Equal("o", await _harness.ReturnAsync("cmd.run_stdout", "echo o; echo e >&2"));
        Assert.Equal("e", await _harness.ReturnAsync("cmd.run_stderr", "echo o; echo e >&2"));
    }

    [Fact]
    public async Task Which_FindsShAndNotNonsense()
    {
        Assert.EndsWith("/sh", (string)(await _harness.ReturnAsync("cmd.which", "sh"))!);
        Assert.Null(await _harness.ReturnAsync("cmd.which", "no-such-binary-xyz"));
        Assert.Equal(true, await _harness.ReturnAsync("cmd.has_exec", "sh"));
    }

    [Fact]
    public async Task Script_LocalPathWithArgs_ReturnsRunAllShape()
    {
        var script = _harness.Path("s.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho \"$1|$2\"\nexit 2\n");
        var result = await _harness.InvokeAsync("cmd.script", script, "one 'two three'");
        var ret = (Dictionary<string, object?>)result.Return!;
        Assert.Equal("one|two three", ret["stdout"]);
        Assert.Equal(2L, ret["retcode"]);
        Assert.Equal(2, result.Retcode);
    }

    [Fact]
    public async Task Script_SaltUrl_FetchedThroughFileClient()
    {
        using var fileRoot = Some.TempDir();
        Directory.CreateDirectory(fileRoot.Combine("scripts"));
        await File.WriteAllTextAsync(fileRoot.Combine("scripts", "hi.sh"), "#!/bin/sh\necho hi from salt\n");
        using var harness = Builtin(files: new FakeFileClient(fileRoot.Path));
        var ret = (Dictionary<string, object?>)(await harness.ReturnAsync("cmd.script", "salt://scripts/hi.sh"))!;
        Assert.Equal("hi from salt", ret["stdout"]);
        Assert.Equal(0L, (await harness.InvokeAsync("cmd.script_retcode", "salt://scripts/hi.sh")).Return);
    }

    [Fact]
    public async Task Script_MissingSource_ReportsCacheError()
    {
        using var fileRoot = Some.TempDir();
        using var harness = Builtin(files: new FakeFileClient(fileRoot.Path));
        var ret = (Dictionary<string, object?>)(await harness.InvokeAsync("cmd.script", "salt://missing.sh")).Return!;
        Assert.Equal(true, ret["cache_error"]);
        Assert.Equal(1L, ret["retcode"]);
    }

    [Fact]
    public async Task RunBg_ReturnsPidOfRunningCommand()
    {
        // The command waits for the test's go file, so it is still running when the return arrives however slow the
        // machine is, and its pid can be checked before it ends.
        var (go, done) = (_harness.Path("bg-go"), _harness.Path("bg-done"));
        var ret = (Dictionary<string, object?>)(await _harness.ReturnAsync(
            "cmd.run_bg", $"while [ ! -e {go} ]; do sleep 0.05; done; touch {done}"))!;
        var pid = (long)ret["pid"]!;
        using var process = System.Diagnostics.Process.GetProcessById((int)pid);
        Assert.False(process.HasExited);
        Assert.False(File.Exists(done));
        File.WriteAllText(go, "");
        await Poll.UntilAsync(() => File.Exists(done), "the background command to finish");
    }

    [Fact]
    public async Task Run_BgTrue_PointsToRunBg()
    {
        var result = await _harness.InvokeAsync("cmd.run", ["true"], Kw(("bg", true)));
        Assert.False(result.Success);
        Assert.Contains("cmd.run_bg", (string)result.Return!);
    }

    [Fact]
    public async Task Run_GoesThroughInjectedRunner()
    {
        var runner = new FakeProcessRunner().On(_ => true, _ => new ProcessResult(9, 0, "faked\n", ""));
        using var harness = Builtin(new ModuleProviders { ProcessRunner = runner });
        Assert.Equal("faked", await harness.ReturnAsync("cmd.run", ["ls"], Kw(("timeout", 5), ("cwd", "/"))));
        var request = Assert.Single(runner.Requests);
        Assert.Equal(["-c", "ls"], request.Arguments);
        Assert.Equal(TimeSpan.FromSeconds(5), request.Timeout);
        Assert.True(request.MergeStderr);
    }

    private static class CmdModuleProbe
    {
        public static string? Which(string name) =>
            (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => System.IO.Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }
}

using System.Diagnostics;
using Orchestrator.Minion.Modules;

namespace Orchestrator.Minion.Tests.StateEngine;

[ExecutionModule("cmd")]
internal sealed class FakeCmdModule : IExecutionModule
{
    public List<string> Commands { get; } = [];

    public string? PathPrefix { get; set; }

    public string Doc => "Runs shell commands with /bin/sh for state tests.";

    public IReadOnlyList<ModuleFunction> Functions => [RunAll, Retcode];

    private ModuleFunction RunAll => new("run_all", "Runs a command.", [FunctionParameter.Req("cmd")], async (call, ct) => await RunAsync(call, ct), true);

    private ModuleFunction Retcode => new("retcode", "Exit code.", [FunctionParameter.Req("cmd")], async (call, ct) => (await RunAsync(call, ct))["retcode"], true);

    private async Task<Dictionary<string, object?>> RunAsync(ModuleCall call, CancellationToken ct)
    {
        var command = call.RequireString("cmd");
        lock (Commands)
        {
            Commands.Add(command);
        }
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command);
        if (PathPrefix is not null)
        {
            psi.Environment["PATH"] = PathPrefix + ":" + Environment.GetEnvironmentVariable("PATH");
        }
        if (call.ExtraKwargs.GetValueOrDefault("cwd") is string cwd)
        {
            psi.WorkingDirectory = cwd;
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return new Dictionary<string, object?>
        {
            ["pid"] = (long)process.Id,
            ["retcode"] = (long)process.ExitCode,
            ["stdout"] = (await stdout).TrimEnd('\n'),
            ["stderr"] = (await stderr).TrimEnd('\n'),
        };
    }
}

using System.Diagnostics;

namespace Orchestrator.Integration.Tests.ExternalAuth;

/// <summary>A real local user made with useradd for one test (random name, a password set with chpasswd), removed on dispose.</summary>
public sealed class SystemTestUser : IDisposable
{
    private readonly List<string> _groups = [];

    public SystemTestUser()
    {
        Name = "orcht" + Guid.NewGuid().ToString("N")[..10];
        Password = "pw-" + Guid.NewGuid().ToString("N");
        Run("useradd", ["-M", "-s", "/usr/sbin/nologin", Name]);
        Run("chpasswd", [], $"{Name}:{Password}\n");
    }

    public string Name { get; }

    public string Password { get; }

    /// <summary>Makes a new group and puts the user in it; returns its name.</summary>
    public string JoinNewGroup()
    {
        var group = "orchg" + Guid.NewGuid().ToString("N")[..10];
        Run("groupadd", [group]);
        _groups.Add(group);
        Run("usermod", ["-aG", group, Name]);
        return group;
    }

    /// <summary>Runs a program as this user (runuser), with its output.</summary>
    public (int Exit, string Stdout, string Stderr) RunAs(string program, params string[] args) =>
        RunProcess("runuser", ["-u", Name, "--", program, .. args], null);

    public void Dispose()
    {
        RunProcess("userdel", [Name], null);
        foreach (var group in _groups)
        {
            RunProcess("groupdel", [group], null);
        }
    }

    private static void Run(string program, string[] args, string? input = null)
    {
        var (exit, _, stderr) = RunProcess(program, args, input);
        Assert.True(exit == 0, $"{program} {string.Join(' ', args)} failed: {stderr}");
    }

    internal static (int Exit, string Stdout, string Stderr) RunProcess(string program, string[] args, string? input)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}

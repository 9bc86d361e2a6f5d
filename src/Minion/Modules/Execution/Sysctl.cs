using System.Text.RegularExpressions;
using Orchestrator.Minion.Modules.Providers;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>sysctl</c> module (linux_sysctl): kernel parameters from <c>/proc/sys</c> via the <c>sysctl</c> tool, persisted to a config file.</summary>
[ExecutionModule("sysctl")]
public sealed partial class SysctlModule : IExecutionModule
{
    private readonly IProcessRunner _runner;
    private readonly string _root;

    /// <param name="runner">Runs <c>sysctl</c>.</param>
    /// <param name="root">Host root for <c>/proc/sys</c> and the systemd probe; "/" outside tests.</param>
    public SysctlModule(IProcessRunner runner, string root = "/")
    {
        _runner = runner;
        _root = root;
        Functions =
        [
            new("assign", "Assign a single sysctl parameter (sysctl -w) and return {name: new value}.\n\nCLI Example: orch '*' sysctl.assign net.ipv4.ip_forward 1",
                [Req("name"), Req("value")], AssignFn),
            new("default_config", "Return the config file values are persisted to: /etc/sysctl.d/99-salt.conf when systemd (207 or later) is " +
                "running, else /etc/sysctl.conf.\n\nCLI Example: orch '*' sysctl.default_config", [], (_, _) => Task.FromResult<object?>(DefaultConfig())),
            new("get", "Return a single sysctl parameter (sysctl -n NAME).\n\nCLI Example: orch '*' sysctl.get net.ipv4.ip_forward", [Req("name")],
                async (c, ct) => await GetAsync(c.RequireString("name"), ct).ConfigureAwait(false)),
            new("persist", "Assign and persist a simple sysctl parameter: returns 'Updated' or 'Already set'.\n\n" +
                "CLI Example: orch '*' sysctl.persist net.ipv4.ip_forward 1", [Req("name"), Req("value"), Opt("config")], PersistFn),
            new("show", "Return all sysctl parameters as a mapping; with config_file, those set in that file ([] when it does not exist).\n\n" +
                "CLI Example: orch '*' sysctl.show", [Opt("config_file", false)], ShowFn),
        ];
    }

    public string Doc => "View and change kernel parameters (sysctl) and persist them.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    /// <summary>Salt's choice: systemd booted (and new enough, as every supported one is) means sysctl.d.</summary>
    public string DefaultConfig() =>
        Directory.Exists(HostCommand.Rooted(_root, "/run/systemd/system")) ? "/etc/sysctl.d/99-salt.conf" : "/etc/sysctl.conf";

    private Task<object?> ShowFn(ModuleCall call, CancellationToken cancellationToken) =>
        call["config_file"] is string path && path.Length > 0 ? Task.FromResult(ShowConfig(path)) : ShowRunningAsync(cancellationToken);

    /// <summary>The values set in a config file; an empty list when it does not exist, null when it cannot be read (as Salt).</summary>
    public static object? ShowConfig(string path)
    {
        if (!File.Exists(path))
        {
            return new List<object?>();
        }
        var ret = new Dictionary<string, object?>(StringComparer.Ordinal);
        try
        {
            foreach (var raw in File.ReadAllLines(path))
            {
                var line = raw.Trim();
                var eq = line.IndexOf('=', StringComparison.Ordinal);
                if (!line.StartsWith('#') && eq >= 0)
                {
                    ret[line[..eq].TrimEnd()] = line[(eq + 1)..].TrimStart();
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return ret;
    }

    private async Task<object?> ShowRunningAsync(CancellationToken cancellationToken)
    {
        var result = await HostCommand.RunAsync(_runner, "sysctl", ["-a"], cancellationToken).ConfigureAwait(false);
        var ret = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var line in result.Stdout.Split('\n'))
        {
            var sep = line.IndexOf(" = ", StringComparison.Ordinal);
            if (sep > 0)
            {
                ret[line[..sep]] = line[(sep + 3)..];
            }
        }
        return ret;
    }

    /// <summary><c>sysctl -n NAME</c>; like Salt's <c>cmd.run</c>, the output includes standard error.</summary>
    public async Task<string> GetAsync(string name, CancellationToken cancellationToken) =>
        HostCommand.Out(await HostCommand.RunAsync(_runner, "sysctl", ["-n", name], cancellationToken, mergeStderr: true).ConfigureAwait(false));

    private async Task<object?> AssignFn(ModuleCall call, CancellationToken cancellationToken) =>
        await AssignAsync(call.RequireString("name"), call.RequireString("value"), cancellationToken).ConfigureAwait(false);

    /// <summary>Salt's <c>assign</c>: the key must exist under /proc/sys, and <c>sysctl -w</c> must echo the new value.</summary>
    public async Task<Dictionary<string, object?>> AssignAsync(string name, string value, CancellationToken cancellationToken)
    {
        // Salt swaps '.' and '/' so that keys holding a dot in one component (net.ipv4.conf.eth0/1) map to their file.
        var relative = new string(name.Select(ch => ch == '.' ? '/' : ch == '/' ? '.' : ch).ToArray());
        var file = HostCommand.Rooted(_root, "/proc/sys/" + relative);
        if (!File.Exists(file) && !Directory.Exists(file))
        {
            throw new ModuleException($"sysctl {name} does not exist");
        }
        var result = await HostCommand.RunAsync(_runner, "sysctl", ["-w", $"{name}={value}"], cancellationToken).ConfigureAwait(false);
        var output = HostCommand.Out(result);
        var echoed = new Regex($"^{Regex.Escape(name)}\\s+=\\s+{Regex.Escape(value)}$");
        if (!echoed.IsMatch(output) || result.Stderr.Contains("Invalid argument", StringComparison.Ordinal))
        {
            var error = result.ExitCode != 0 && result.Stderr.Length > 0 ? result.Stderr.TrimEnd('\n') : output;
            throw new ModuleException($"sysctl -w failed: {error}");
        }
        var parts = output.Split(" = ", 2);
        return new Dictionary<string, object?>(StringComparer.Ordinal) { [parts[0]] = parts.Length > 1 ? parts[1] : string.Empty };
    }

    private async Task<object?> PersistFn(ModuleCall call, CancellationToken cancellationToken) =>
        await PersistAsync(call.RequireString("name"), call.RequireString("value"), call.GetString("config"), cancellationToken).ConfigureAwait(false);

    /// <summary>Salt's <c>persist</c>: edits (or appends) <c>name = value</c> in the config file, then assigns it when it changed.</summary>
    public async Task<string> PersistAsync(string name, string value, string? config, CancellationToken cancellationToken)
    {
        config ??= DefaultConfig();
        var path = config;
        if (!File.Exists(path))
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, "#\n# Kernel sysctl configuration\n#\n", cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ModuleException($"Could not write to file: {config}");
            }
        }
        string[] lines;
        try
        {
            lines = SplitKeepingEnds(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModuleException($"Could not read from file: {config}");
        }
        var output = new List<string>();
        var edited = false;
        foreach (var line in lines)
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0 || line[..eq].Trim().StartsWith('#'))
            {
                output.Add(line);
                continue;
            }
            if (line[..eq].Trim() != name)
            {
                output.Add(line);
                continue;
            }
            if (Sanitize(line[(eq + 1)..].Trim()) == Sanitize(value))
            {
                if (Sanitize(await GetAsync(name, cancellationToken).ConfigureAwait(false)) != Sanitize(value))
                {
                    await AssignAsync(name, value, cancellationToken).ConfigureAwait(false);
                    return "Updated";
                }
                return "Already set";
            }
            output.Add($"{name} = {value}\n");
            edited = true;
        }
        if (!edited)
        {
            output.Add($"{name} = {value}\n");
        }
        try
        {
            await File.WriteAllTextAsync(path, string.Concat(output), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModuleException($"Could not write to file: {config}");
        }
        await AssignAsync(name, value, cancellationToken).ConfigureAwait(false);
        return "Updated";
    }

    /// <summary>Whitespace runs become one tab, as the kernel prints multi-value parameters.</summary>
    private static string Sanitize(string value) => Whitespace().Replace(value, "\t");

    private static string[] SplitKeepingEnds(string text)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                parts.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }
        if (start < text.Length)
        {
            parts.Add(text[start..]);
        }
        return [.. parts];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

using Orchestrator.Minion.Modules.Providers;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>disk</c> module: filesystem usage from <c>df -P</c>.</summary>
[ExecutionModule("disk")]
public sealed class DiskModule : IExecutionModule
{
    private readonly IProcessRunner _runner;

    public DiskModule(IProcessRunner runner)
    {
        _runner = runner;
        Functions =
        [
            new("blkid", "Return block device attributes: {device: {UUID, LABEL, TYPE, ...}} from blkid, for one device or those matching " +
                "a token ({} when blkid finds nothing).\n\nCLI Example: orch '*' disk.blkid token='TYPE=ext4'", [Opt("device"), Opt("token")],
                async (c, ct) => await BlkidAsync(_runner, c.GetString("device"), c.GetString("token"), ct).ConfigureAwait(false)),
            new("usage", "Return usage per mount point as {mount: {filesystem, 1K-blocks, used, available, capacity}} (values as df prints them); " +
                "args='-a' includes pseudo filesystems.\n\nCLI Example: orch '*' disk.usage", [Opt("args")], UsageAsync),
        ];
    }

    public string Doc => "Module for managing disks and blockdevices: usage, blkid.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    /// <summary>Salt's <c>disk.blkid</c>: each output line is "DEVICE: KEY="value" ..."; a failing or missing blkid gives {}.</summary>
    public static async Task<Dictionary<string, object?>> BlkidAsync(IProcessRunner runner, string? device, string? token,
        CancellationToken cancellationToken)
    {
        List<string> arguments = device is { Length: > 0 } ? [device] : token is { Length: > 0 } ? ["-t", token] : [];
        var ret = new Dictionary<string, object?>(StringComparer.Ordinal);
        ProcessResult result;
        try
        {
            result = await runner.RunAsync(new ProcessRequest("blkid", arguments), cancellationToken).ConfigureAwait(false);
        }
        catch (ModuleException)
        {
            return ret;
        }
        if (result.ExitCode != 0)
        {
            return ret;
        }
        foreach (var line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var name = (space < 0 ? line : line[..space]).TrimEnd(':');
            var info = new Dictionary<string, object?>(StringComparer.Ordinal);
            var parts = space < 0 ? [] : System.Text.RegularExpressions.Regex.Split(line[(space + 1)..], "\"+");
            for (var i = 0; i + 1 < parts.Length; i += 2)
            {
                info[parts[i].Trim().TrimEnd('=').Trim()] = parts[i + 1];
            }
            ret[name] = info;
        }
        return ret;
    }

    private async Task<object?> UsageAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        List<string> arguments = ["-P"];
        if (call.GetString("args") is { } flags)
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(flags, "^-[ahiklPT]+$"))
            {
                throw new ModuleException($"Invalid flags passed: {flags}");
            }
            arguments.Add(flags);
        }
        var result = await _runner.RunAsync(new ProcessRequest("df", arguments), cancellationToken).ConfigureAwait(false);
        var usage = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var cols = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cols.Length < 6)
            {
                continue;
            }
            // A mount point may contain spaces: everything after the capacity column.
            var mount = string.Join(' ', cols[5..]);
            usage[mount] = new Dictionary<string, object?>
            {
                ["filesystem"] = cols[0],
                ["1K-blocks"] = cols[1],
                ["used"] = cols[2],
                ["available"] = cols[3],
                ["capacity"] = cols[4],
            };
        }
        if (usage.Count == 0 && result.ExitCode != 0)
        {
            throw new ModuleException($"df failed: {result.Stderr.Trim()}");
        }
        return usage;
    }
}

using Orchestrator.Minion.Modules.Providers;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>
/// The systemd masking functions of the <c>service</c> module (<c>service.mask</c>, <c>unmask</c>, <c>masked</c>), as Salt's
/// systemd_service module has them, including its offline mode (systemctl installed, systemd not running as PID 1).
/// </summary>
/// <remarks>
/// A mask is the link <c>/etc/systemd/system/UNIT</c> (or under <c>/run</c> for a runtime mask) to <c>/dev/null</c>; <c>systemctl mask</c>
/// makes it without a running systemd. Before each check Salt looks for unit file changes: offline, that look-up fails for a unit whose
/// file (the mask link included) exists in /etc/systemd/system, with "Cannot run in offline mode", and so does this module.
/// Under a host root other than "/", systemctl gets <c>--root</c>.
/// </remarks>
internal sealed class ServiceMask(IProcessRunner runner, string root)
{
    private static readonly string[] _unitTypes =
        [".service", ".socket", ".device", ".mount", ".automount", ".swap", ".target", ".path", ".timer", ".slice", ".scope"];

    public ModuleFunction[] Functions() =>
    [
        new("mask", "Mask the specified service with systemd (runtime=True: only until the next reboot).\n\nCLI Example: orch '*' service.mask foo",
            [Req("name"), Opt("runtime", false), Opt("root")], async (c, ct) =>
            {
                await CheckForUnitChangesAsync(c.Context, c.RequireString("name"), ct).ConfigureAwait(false);
                var result = await SystemctlAsync(c.GetBool("runtime") ? ["mask", "--runtime"] : ["mask"], c.RequireString("name"), c.GetString("root"), ct)
                    .ConfigureAwait(false);
                return result.ExitCode == 0 ? true : throw new ModuleException($"Failed to mask service '{c.RequireString("name")}'");
            }),
        new("masked", "Check whether or not a service is masked (runtime=True checks for a runtime mask).\n\nCLI Example: orch '*' service.masked foo",
            [Req("name"), Opt("runtime", false), Opt("root")], async (c, ct) =>
            {
                await CheckForUnitChangesAsync(c.Context, c.RequireString("name"), ct).ConfigureAwait(false);
                return IsMasked(c.RequireString("name"), c.GetBool("runtime"), c.GetString("root"));
            }),
        new("unmask", "Unmask the specified service with systemd (runtime=True removes a runtime mask).\n\nCLI Example: orch '*' service.unmask foo",
            [Req("name"), Opt("runtime", false), Opt("root")], async (c, ct) =>
            {
                var name = c.RequireString("name");
                await CheckForUnitChangesAsync(c.Context, name, ct).ConfigureAwait(false);
                if (!IsMasked(name, c.GetBool("runtime"), c.GetString("root")))
                {
                    return true;
                }
                var result = await SystemctlAsync(c.GetBool("runtime") ? ["unmask", "--runtime"] : ["unmask"], name, c.GetString("root"), ct)
                    .ConfigureAwait(false);
                return result.ExitCode == 0 ? true : throw new ModuleException($"Failed to unmask service '{name}'");
            }),
    ];

    private bool Booted => Directory.Exists(HostCommand.Rooted(root, "/run/systemd/system"));

    private bool Offline => !Booted && HostCommand.Which("systemctl");

    private static string Canonical(string name) => _unitTypes.Any(name.EndsWith) ? name : name + ".service";

    private void RequireSystemd()
    {
        if (!Booted && !Offline)
        {
            throw new ModuleException("Service masking is only available with systemd, which is neither running nor installed here");
        }
    }

    private async Task<ProcessResult> SystemctlAsync(string[] action, string name, string? unitRoot, CancellationToken cancellationToken)
    {
        RequireSystemd();
        var effectiveRoot = unitRoot ?? (root is "/" or "" ? null : root);
        List<string> args = effectiveRoot is null ? [.. action, Canonical(name)] : ["--root", effectiveRoot, .. action, Canonical(name)];
        return await HostCommand.RunAsync(runner, "systemctl", args, cancellationToken, mergeStderr: true).ConfigureAwait(false);
    }

    private bool IsMasked(string name, bool runtime, string? unitRoot)
    {
        RequireSystemd();
        var dir = HostCommand.Rooted(unitRoot ?? root, runtime ? "/run" : "/etc");
        return new FileInfo(Path.Combine(dir, "systemd", "system", Canonical(name))).LinkTarget == "/dev/null";
    }

    // Salt keeps the "checked" mark in the loader's __context__, which lives as long as one salt-call (one job here).
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<ModuleContext, HashSet<string>> _checked = new();

    /// <summary>Salt's <c>_check_for_unit_changes</c>: a unit file in /etc/systemd/system makes it ask systemd about the unit (once a job).</summary>
    private async Task CheckForUnitChangesAsync(ModuleContext context, string name, CancellationToken cancellationToken)
    {
        RequireSystemd();
        var seen = _checked.GetOrCreateValue(context);
        lock (seen)
        {
            if (seen.Contains(name))
            {
                return;
            }
        }
        var unit = Path.Combine(HostCommand.Rooted(root, "/etc/systemd/system"), Canonical(name));
        var exists = File.Exists(unit) || new FileInfo(unit).LinkTarget is not null;
        if (exists && Offline)
        {
            throw new ModuleException($"Cannot run in offline mode. Failed to get information on unit '{name}'");
        }
        if (Booted)
        {
            var status = await SystemctlAsync(["status"], name, null, cancellationToken).ConfigureAwait(false);
            if (status.Stdout.Contains("'systemctl daemon-reload'", StringComparison.OrdinalIgnoreCase))
            {
                await HostCommand.RunAsync(runner, "systemctl", ["--system", "daemon-reload"], cancellationToken).ConfigureAwait(false);
            }
        }
        lock (seen)
        {
            seen.Add(name);
        }
    }
}

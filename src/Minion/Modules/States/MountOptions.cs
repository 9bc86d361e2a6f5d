using System.Globalization;
using System.Text.RegularExpressions;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary><c>mount.mounted</c> on a mounted target: which asked-for options the mount lacks, and the remount that adds them.</summary>
public sealed partial class MountState
{
    /// <summary>Salt's comparison of the wanted options with the active ones and with the mount cache; a return when the state stops there.</summary>
    private static async Task<StateReturn?> CheckOptionsAsync(Mounted m, Dictionary<string, object?> entry, CancellationToken ct)
    {
        var c = m.Call;
        var invisible = new HashSet<string>(_invisibleOptions, StringComparer.Ordinal);
        invisible.UnionWith(Strings(c["extra_mount_invisible_options"]));
        invisible.UnionWith(c["hidden_opts"] is string hidden ? hidden.Split(',') : Strings(c["hidden_opts"]));
        var invisibleKeys = new HashSet<string>(_invisibleKeys, StringComparer.Ordinal);
        invisibleKeys.UnionWith(Strings(c["extra_mount_invisible_keys"]));
        var ignoreFsKeys = new Dictionary<string, List<string>>(StringComparer.Ordinal) { ["ramfs"] = ["size"] };
        foreach (var (fs, keys) in c.GetMap("extra_mount_ignore_fs_keys") ?? [])
        {
            ignoreFsKeys[fs] = Strings(keys);
        }
        var translate = new Dictionary<string, string>(StringComparer.Ordinal) { ["tcp"] = "proto=tcp", ["udp"] = "proto=udp" };
        foreach (var (from, to) in c.GetMap("extra_mount_translate_options") ?? [])
        {
            translate[from] = PyText.Str(to);
        }
        var ignored = ignoreFsKeys.GetValueOrDefault(m.Fstype) ?? [];
        var activeOpts = Strings(entry.GetValueOrDefault("opts"));
        var superopts = entry.GetValueOrDefault("superopts") as List<object?> ?? [];
        var trigger = new List<string>();
        var opt = string.Empty;
        foreach (var wanted in m.Opts)
        {
            opt = await ComparableOptionAsync(c, m.Fstype, wanted, translate, ignored, ct).ConfigureAwait(false);
            // As in Salt, a size=N[kmg] among the active superopts stands in for whatever option is being compared.
            foreach (var active in superopts.Select(PyText.Str).ToList())
            {
                if (SizeOption().Match(active) is { Success: true } size)
                {
                    opt = $"size={SizeInK(size)}k";
                    superopts.Remove(active);
                    superopts.Add(opt);
                }
            }
            var super = superopts.Select(PyText.Str).ToList();
            if (!activeOpts.Contains(opt) && !super.Contains(opt) && !invisible.Contains(opt) && !ignored.Contains(opt) && !invisibleKeys.Contains(opt))
            {
                trigger.Add(opt);
            }
        }
        if (trigger.Count > 0)
        {
            var changed = string.Join(',', trigger.Order(StringComparer.Ordinal));
            if (c.Test)
            {
                return StateReturn.Pending(m.Name, $"Remount would be forced because options ({changed}) changed");
            }
            if (await RemountAsync(m, changed, ct).ConfigureAwait(false) is { } failed)
            {
                return failed;
            }
            m.UpdateCache = true;
        }
        var cache = await StateInvoke.CallAsync(c, "mount.read_mount_cache", [m.RealName], null, ct).ConfigureAwait(false) as Dictionary<string, object?>;
        if (cache?.GetValueOrDefault("opts") is { } cachedOpts)
        {
            var missing = MountModuleOptions(cachedOpts).Where(o => !m.Opts.Contains(o)).ToList();
            if (missing.Count > 0)
            {
                if (c.Test)
                {
                    // Salt's comment has no space before "changed" here.
                    return StateReturn.Pending(m.Name, $"Remount would be forced because options ({string.Join(',', missing)})changed");
                }
                if (await RemountAsync(m, opt, ct).ConfigureAwait(false) is { } failed)
                {
                    return failed;
                }
                m.UpdateCache = true;
            }
        }
        else
        {
            m.UpdateCache = true;
        }
        return null;
    }

    private static List<string> MountModuleOptions(object? opts) => Execution.MountModule.OptionList(opts);

    /// <summary>One wanted option in the form the kernel reports it: translated, size in k, cifs user, uid/gid numeric.</summary>
    private static async Task<string> ComparableOptionAsync(StateCall c, string fstype, string wanted, Dictionary<string, string> translate,
        List<string> ignored, CancellationToken ct)
    {
        var opt = translate.GetValueOrDefault(wanted, wanted);
        if (SizeOption().Match(opt) is { Success: true } size)
        {
            opt = $"size={SizeInK(size)}k";
        }
        var parts = opt.Split('=');
        if (fstype == "cifs" && parts[0] == "user")
        {
            opt = "username=" + parts[1];
        }
        parts = opt.Split('=');
        if (ignored.Contains(parts[0]))
        {
            opt = parts[0];
        }
        parts = opt.Split('=');
        if (parts[0] is "uid" or "gid" && parts.Length > 1 && !Digits().IsMatch(parts[1]))
        {
            var function = parts[0] == "uid" ? "user.info" : "group.info";
            if (c.Context.Modules.Exists(function)
                && await StateInvoke.CallAsync(c, function, [parts[1]], null, ct).ConfigureAwait(false) is Dictionary<string, object?> info
                && info.TryGetValue(parts[0], out var id))
            {
                opt = parts[0] + "=" + PyText.Str(id);
            }
        }
        return opt;
    }

    private static long SizeInK(Match size)
    {
        var value = long.Parse(size.Groups["value"].Value, CultureInfo.InvariantCulture);
        return size.Groups["unit"].Value switch
        {
            "m" => value * 1024,
            "g" => value * 1024 * 1024,
            _ => value,
        };
    }

    /// <summary>The forced remount: umount and mount for nfs, cvfs and fuse filesystems, <c>mount -o remount</c> for the rest.</summary>
    private static async Task<StateReturn?> RemountAsync(Mounted m, string changed, CancellationToken ct)
    {
        var c = m.Call;
        var ret = m.Ret;
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["mkmnt"] = m.Mkmnt, ["fstype"] = m.Fstype, ["opts"] = m.Opts.Cast<object?>().ToList(),
        };
        if (m.Fstype is "nfs" or "cvfs" || m.Fstype.StartsWith("fuse", StringComparison.Ordinal))
        {
            ret.Changes["umount"] = $"Forced unmount and mount because options ({changed}) changed";
            var unmounted = await StateInvoke.CallAsync(c, "mount.umount", [m.RealName], null, ct).ConfigureAwait(false);
            if (unmounted is not true)
            {
                return StateReturn.Fail(m.Name, $"Unable to unmount {m.RealName}: {PyText.Str(unmounted)}.");
            }
            var mounted = await StateInvoke.CallAsync(c, "mount.mount", [m.RealName, m.Device], kwargs, ct).ConfigureAwait(false);
            return Failed(ret, mounted);
        }
        ret.Changes["umount"] = $"Forced remount because options ({changed}) changed";
        var remounted = await StateInvoke.CallAsync(c, "mount.remount", [m.RealName, m.Device], kwargs, ct).ConfigureAwait(false);
        m.Opts.Remove("remount");
        return Failed(ret, remounted);
    }

    /// <summary>
    /// Salt puts mount's error text in the result itself (a string, which reads as success) and carries on; here a failed
    /// (re)mount ends the state as failed, with that text as the comment.
    /// </summary>
    private static StateReturn? Failed(StateReturn ret, object? outcome)
    {
        if (outcome is true)
        {
            return null;
        }
        ret.Result = false;
        ret.Comment = PyText.Str(outcome);
        return ret;
    }

    [GeneratedRegex("^size=(?<value>[0-9]+)(?<unit>k|m|g)")]
    private static partial Regex SizeOption();

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex Digits();
}

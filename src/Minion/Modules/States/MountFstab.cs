using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>The mounting and fstab side of the <c>mount</c> states: mount or create the target, persist it, and the fstab states.</summary>
public sealed partial class MountState
{
    private const string Fstab = "/etc/fstab";

    private const string UnmountedDoc =
        "Verify that a device is not mounted\n\n" +
        "name\n    The path to the location where the device is to be unmounted from\n\n" +
        "device\n    The device to be unmounted.  This is optional because the device could be mounted in multiple places.\n\n" +
        "config\n    Set an alternative location for the fstab, Default is /etc/fstab\n\n" +
        "persist\n    Set if the mount should be purged from the fstab, Default is False\n\n" +
        "user\n    The user to own the mount; this defaults to the user salt is running as on the minion";

    private const string FstabPresentDoc =
        "Makes sure that a fstab mount point is present.\n\n" +
        "name\n    The name of block device. Can be any valid fs_spec value.\n\n" +
        "fs_file\n    Mount point (target) for the filesystem.\n\n" +
        "fs_vfstype\n    The type of the filesystem (e.g. ext4, xfs, btrfs, ...)\n\n" +
        "fs_mntops\n    The mount options associated with the filesystem. Default is defaults.\n\n" +
        "fs_freq\n    Field is used by dump to determine which fs need to be dumped. Default is 0\n\n" +
        "fs_passno\n    Field is used by fsck to determine the order in which filesystem checks are done at boot time. Default is 0\n\n" +
        "mount_by\n    Select the final value for fs_spec. Can be [None, device, label, uuid, partlabel, partuuid]. If None, the value for " +
        "fs_spec will be the parameter name, in other case will search the correct value based on the device name. For example, for " +
        "uuid, the value for fs_spec will be of type 'UUID=xxx' instead of the device name set in name.\n\n" +
        "config\n    Place where the fstab file lives. Default is /etc/fstab\n\n" +
        "mount\n    Set if the mount should be mounted immediately. Default is True\n\n" +
        "match_on\n    A name or list of fstab properties on which this state should be applied.  Default is auto, a special value " +
        "indicating to guess based on fstype.  In general, auto matches on name for recognized special devices and device otherwise.\n\n" +
        "not_change\n    By default, if the entry is found in the fstab file but is different from the expected content (like different " +
        "options), the entry will be replaced with the correct content. If this parameter is set to True and the line is found, the " +
        "original content will be preserved.";

    private const string FstabAbsentDoc =
        "Makes sure that a fstab mount point is absent.\n\n" +
        "name\n    The name of block device. Can be any valid fs_spec value.\n\n" +
        "fs_file\n    Mount point (target) for the filesystem.\n\n" +
        "mount_by\n    Select the final value for fs_spec. Can be [None, device, label, uuid, partlabel, partuuid]. If None, the value for " +
        "fs_spec will be the parameter name, in other case will search the correct value based on the device name.\n\n" +
        "config\n    Place where the fstab file lives";

    /// <summary>Not mounted (or just unmounted): mount it, create the mount point, or say why not; a return when the state ends here.</summary>
    private static async Task<StateReturn?> MountOrCreateAsync(Mounted m, CancellationToken ct)
    {
        var c = m.Call;
        var ret = m.Ret;
        var exists = Path.Exists(m.Name);
        if (m.Mount)
        {
            if (c.Test)
            {
                return StateReturn.Pending(m.Name, exists ? $"{m.Name} would be mounted"
                    : m.Mkmnt ? $"{m.Name} would be created and mounted" : $"{m.Name} does not exist and would not be created");
            }
            if (!exists && !m.Mkmnt)
            {
                return StateReturn.Fail(m.Name, "Mount directory is not present");
            }
            var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal) { ["user"] = m.User };
            var outcome = await StateInvoke.CallAsync(c, "mount.mount",
                [m.Name, m.Device, m.Mkmnt, m.Fstype, m.Opts.Cast<object?>().ToList()], kwargs, ct).ConfigureAwait(false);
            m.Active = await ActiveAsync(c, ct).ConfigureAwait(false);
            m.UpdateCache = true;
            if (outcome is string error)
            {
                return StateReturn.Fail(m.Name, error);
            }
            if (m.Entry is not null)
            {
                ret.Comment = "Target was successfully mounted";
                ret.Changes["mount"] = true;
            }
            return null;
        }
        if (!exists)
        {
            if (c.Test)
            {
                ret.Result = null;
                ret.Comment = m.Mkmnt ? $"{m.Name} would be created, but not mounted" : $"{m.Name} does not exist and would neither be created nor mounted";
            }
            else if (m.Mkmnt)
            {
                await StateInvoke.CallAsync(c, "file.mkdir", [m.Name], new() { ["user"] = m.User }, ct).ConfigureAwait(false);
                ret.Comment = $"{m.Name} was created, not mounted";
            }
            else
            {
                ret.Comment = $"{m.Name} not present and not mounted";
            }
            return null;
        }
        ret.Comment = c.Test ? $"{m.Name} would not be mounted" : $"{m.Name} not mounted";
        return null;
    }

    /// <summary>The fstab half of mounted: what set_fstab says (or would say, in test mode) about the entry.</summary>
    private static async Task<StateReturn> PersistAsync(Mounted m, CancellationToken ct)
    {
        var c = m.Call;
        var ret = m.Ret;
        var config = c.GetString("config") ?? Fstab;
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal) { ["match_on"] = c["match_on"] ?? "auto" };
        if (c.Test)
        {
            kwargs["test"] = true;
        }
        var outcome = PyText.Str(await StateInvoke.CallAsync(c, "mount.set_fstab",
            [m.Name, m.Device, m.Fstype, m.Opts.Cast<object?>().ToList(), c["dump"] ?? 0L, c["pass_num"] ?? 0L, config], kwargs, ct).ConfigureAwait(false));
        if (c.Test && outcome != "present")
        {
            ret.Result = null;
            string comment;
            if (outcome == "new")
            {
                comment = m.Mount ? $"{m.Name} is mounted, but needs to be written to the fstab in order to be made persistent."
                    : $"{m.Name} needs to be written to the fstab in order to be made persistent.";
            }
            else if (outcome == "change")
            {
                comment = m.Mount ? $"{m.Name} is mounted, but its fstab entry must be updated." : $"The {m.Name} fstab entry must be updated.";
            }
            else
            {
                ret.Result = false;
                comment = $"Unable to detect fstab status for mount point {m.Name} due to unexpected output '{outcome}' from call to " +
                    "mount.set_fstab. This is most likely a bug.";
            }
            ret.Comment = $"{PyText.Str(ret.Comment)}. {comment}";
            return ret;
        }
        if (m.UpdateCache)
        {
            await StateInvoke.CallAsync(c, "mount.write_mount_cache",
                [m.RealName, m.Device, m.Mkmnt, m.Fstype, m.Opts.Cast<object?>().ToList()], null, ct).ConfigureAwait(false);
        }
        switch (outcome)
        {
            case "present":
                ret.Comment = PyText.Str(ret.Comment) + ". Entry already exists in the fstab.";
                break;
            case "new":
                ret.Changes["persist"] = "new";
                ret.Comment = PyText.Str(ret.Comment) + ". Added new entry to the fstab.";
                break;
            case "change":
                ret.Changes["persist"] = "update";
                ret.Comment = PyText.Str(ret.Comment) + ". Updated the entry in the fstab.";
                break;
            case "bad config":
                ret.Result = false;
                ret.Comment = PyText.Str(ret.Comment) + ". However, the fstab was not found.";
                break;
        }
        return ret;
    }

    private static async Task<StateReturn> UnmountedAsync(StateCall c, CancellationToken ct)
    {
        var name = c.Name;
        var ret = StateReturn.Ok(name, string.Empty);
        if (name.Length == 0)
        {
            return StateReturn.Fail(name, "Must provide name to mount.unmounted");
        }
        var device = c.GetString("device");
        var user = c.GetString("user");
        var active = await ActiveAsync(c, ct).ConfigureAwait(false);
        if (!active.ContainsKey(name.Replace(" ", "\\040", StringComparison.Ordinal)))
        {
            ret.Comment = "Target was already unmounted";
        }
        else
        {
            if (c.Test)
            {
                return StateReturn.Pending(name, $"Mount point {name} is mounted but should not be");
            }
            var outcome = await StateInvoke.CallAsync(c, "mount.umount", string.IsNullOrEmpty(device) ? [name] : [name, device],
                new() { ["user"] = user }, ct).ConfigureAwait(false);
            if (outcome is string error)
            {
                ret.Result = false;
                ret.Comment = error;
            }
            else if (outcome is true)
            {
                ret.Comment = "Target was successfully unmounted";
                ret.Changes["umount"] = true;
            }
            else
            {
                ret.Comment = "Execute set to False, Target was not unmounted";
            }
            await StateInvoke.CallAsync(c, "mount.delete_mount_cache", [name], null, ct).ConfigureAwait(false);
        }
        return c.GetBool("persist") ? await PurgeAsync(c, ret, device, ct).ConfigureAwait(false) : ret;
    }

    private static async Task<StateReturn> PurgeAsync(StateCall c, StateReturn ret, string? device, CancellationToken ct)
    {
        var name = c.Name;
        var config = c.GetString("config") ?? Fstab;
        var fstab = await StateInvoke.CallAsync(c, "mount.fstab", [config], null, ct).ConfigureAwait(false) as Dictionary<string, object?> ?? [];
        if (fstab.GetValueOrDefault(name) is not Dictionary<string, object?> entry)
        {
            ret.Comment = PyText.Str(ret.Comment) + ". fstab entry not found";
            return ret;
        }
        if (!string.IsNullOrEmpty(device) && PyText.Str(entry.GetValueOrDefault("device")) != device)
        {
            ret.Comment = PyText.Str(ret.Comment) + $". fstab entry for device {device} not found";
            return ret;
        }
        if (c.Test)
        {
            return StateReturn.Pending(name, $"Mount point {name} is unmounted but needs to be purged from {config} to be made persistent");
        }
        var outcome = await StateInvoke.CallAsync(c, "mount.rm_fstab", [name, device, config], null, ct).ConfigureAwait(false);
        if (outcome is not true)
        {
            ret.Result = false;
            ret.Comment = PyText.Str(ret.Comment) + ". Failed to persist purge";
        }
        else
        {
            ret.Comment = PyText.Str(ret.Comment) + ". Removed target from fstab";
            ret.Changes["persist"] = "purged";
        }
        return ret;
    }

    /// <summary>Salt's <c>_convert_to</c>: the fs_spec for fstab in the form mount_by asks (device, UUID=..., LABEL=...); null when blkid cannot tell.</summary>
    private static async Task<string?> ConvertToAsync(StateCall c, string device, string? convertTo, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(convertTo) || (convertTo == "device" && device.StartsWith('/'))
            || device.StartsWith(convertTo.ToUpperInvariant() + "=", StringComparison.Ordinal))
        {
            return device;
        }
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        kwargs[device.StartsWith('/') ? "device" : "token"] = device;
        var blkid = await StateInvoke.CallAsync(c, "disk.blkid", [], kwargs, ct).ConfigureAwait(false) as Dictionary<string, object?> ?? [];
        if (blkid.Count != 1)
        {
            return null;
        }
        var (found, info) = blkid.First();
        if (convertTo == "device")
        {
            return found;
        }
        var key = convertTo.ToUpperInvariant();
        return info is Dictionary<string, object?> attributes && attributes.TryGetValue(key, out var value) ? $"{key}={PyText.Str(value)}" : null;
    }

    private static string FsFile(StateCall c)
    {
        var fsFile = c.GetString("fs_file") ?? string.Empty;
        return fsFile == "/" ? fsFile : fsFile.TrimEnd('/');
    }

    private static async Task<StateReturn> FstabPresentAsync(StateCall c, CancellationToken ct)
    {
        var name = c.Name;
        var comments = new List<object?>();
        var ret = new StateReturn { Name = name, Result = false, Comment = comments };
        var config = c.GetString("config") ?? Fstab;
        var fsFile = FsFile(c);
        var mountBy = c.GetString("mount_by");
        if (await ConvertToAsync(c, name, mountBy, ct).ConfigureAwait(false) is not { } fsSpec)
        {
            comments.Add($"Device {name} cannot be converted to {mountBy}");
            return ret;
        }
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = fsFile, ["device"] = fsSpec, ["fstype"] = c.GetString("fs_vfstype"), ["opts"] = c["fs_mntops"] ?? "defaults",
            ["dump"] = c["fs_freq"] ?? 0L, ["pass_num"] = c["fs_passno"] ?? 0L, ["config"] = config, ["match_on"] = c["match_on"] ?? "auto",
            ["not_change"] = c.GetBool("not_change"),
        };
        if (c.Test)
        {
            kwargs["test"] = true;
        }
        var outcome = PyText.Str(await StateInvoke.CallAsync(c, "mount.set_fstab", [], kwargs, ct).ConfigureAwait(false));
        var mount = c.GetBool("mount", true);
        if (c.Test)
        {
            ret.Result = null;
            switch (outcome)
            {
                case "present":
                    comments.Add($"{fsFile} entry is already in {config}.");
                    break;
                case "new":
                    comments.Add($"{fsFile} entry will be written in {config}.");
                    if (mount)
                    {
                        comments.Add($"Will mount {name} on {fsFile}");
                    }
                    break;
                case "change":
                    comments.Add($"{fsFile} entry will be updated in {config}.");
                    break;
                default:
                    ret.Result = false;
                    comments.Add($"{fsFile} entry cannot be created in {config}: {outcome}.");
                    break;
            }
            return ret;
        }
        ret.Result = true;
        switch (outcome)
        {
            case "present":
                comments.Add($"{fsFile} entry was already in {config}.");
                break;
            case "new":
                ret.Changes["persist"] = outcome;
                comments.Add($"{fsFile} entry added in {config}.");
                if (mount)
                {
                    var mounted = await StateInvoke.CallAsync(c, "mount.mount", [fsFile], null, ct).ConfigureAwait(false);
                    if (mounted is string error)
                    {
                        ret.Result = false;
                        var colon = error.IndexOf(':', StringComparison.Ordinal);
                        comments.Add("Error while mounting " + (colon >= 0 ? error[(colon + 1)..] : error));
                    }
                    else
                    {
                        comments.Add($"Mounted {name} on {fsFile}");
                    }
                }
                break;
            case "change":
                ret.Changes["persist"] = outcome;
                comments.Add($"{fsFile} entry updated in {config}.");
                break;
            default:
                ret.Result = false;
                comments.Add($"{fsFile} entry cannot be changed in {config}: {outcome}.");
                break;
        }
        return ret;
    }

    private static async Task<StateReturn> FstabAbsentAsync(StateCall c, CancellationToken ct)
    {
        var name = c.Name;
        var comments = new List<object?>();
        var ret = new StateReturn { Name = name, Result = false, Comment = comments };
        var config = c.GetString("config") ?? Fstab;
        var fsFile = FsFile(c);
        var fsSpec = await ConvertToAsync(c, name, c.GetString("mount_by"), ct).ConfigureAwait(false);
        var fstab = await StateInvoke.CallAsync(c, "mount.fstab", [config], null, ct).ConfigureAwait(false) as Dictionary<string, object?> ?? [];
        if (c.Test)
        {
            ret.Result = null;
            comments.Add(fstab.ContainsKey(fsFile) ? $"{fsFile} entry will be removed from {config}." : $"{fsFile} entry is already missing in {config}.");
            return ret;
        }
        if (!fstab.ContainsKey(fsFile))
        {
            ret.Result = true;
            comments.Add($"{fsFile} entry is already missing in {config}.");
            return ret;
        }
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = fsFile, ["device"] = fsSpec, ["config"] = config };
        if (await StateInvoke.CallAsync(c, "mount.rm_fstab", [], kwargs, ct).ConfigureAwait(false) is not true)
        {
            comments.Add($"{fsFile} entry failed when removing from {config}.");
            return ret;
        }
        ret.Result = true;
        ret.Changes["persist"] = "removed";
        comments.Add($"{fsFile} entry removed from {config}.");
        return ret;
    }

    /// <summary>Salt's <c>mod_watch</c>: a watched change remounts a mounted state's target.</summary>
    public async Task<StateReturn> ModWatchAsync(StateCall call, CancellationToken cancellationToken)
    {
        var name = call.Name;
        if (call.Sfun != "mounted")
        {
            return StateReturn.Ok(name, $"Watch not supported in {call.Sfun} at this time");
        }
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal) { ["user"] = call.GetString("user") };
        var outcome = await StateInvoke.CallAsync(call, "mount.remount",
            [name, call.GetString("device"), false, call.GetString("fstype") ?? string.Empty, call["opts"] ?? "defaults"], kwargs, cancellationToken)
            .ConfigureAwait(false);
        // Salt takes any non-empty answer (mount's error text too) as remounted; only True is, here.
        return outcome is true ? StateReturn.Ok(name, $"{name} remounted") : StateReturn.Fail(name, $"{name} failed to remount: {PyText.Str(outcome)}");
    }
}

using System.Text.RegularExpressions;
using Orchestrator.Minion.Modules.Execution;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>mount</c> states: a filesystem mounted (and kept in the fstab), unmounted, or an fstab entry present or absent.</summary>
[StateModule("mount")]
public sealed partial class MountState : IStateModule, IWatchable
{
    public string Doc => "Mounting of filesystems: mount any type of mountable filesystem with the mounted function, and keep the fstab in step.";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("fstab_absent", [FunctionParameter.Req("name"), FunctionParameter.Req("fs_file")], FstabAbsentAsync, FstabAbsentDoc),
        new("fstab_present", [FunctionParameter.Req("name"), FunctionParameter.Req("fs_file"), FunctionParameter.Req("fs_vfstype")], FstabPresentAsync,
            FstabPresentDoc),
        new("mounted", [FunctionParameter.Req("name"), FunctionParameter.Req("device"), FunctionParameter.Req("fstype")], MountedAsync, MountedDoc),
        new("unmounted", [FunctionParameter.Req("name")], UnmountedAsync, UnmountedDoc),
    ];

    private const string MountedDoc =
        "Verify that a device is mounted\n\n" +
        "name\n    The path to the location where the device is to be mounted\n\n" +
        "device\n    The device name, typically the device node, such as /dev/sdb1 or UUID=066e0200-2867-4ebe-b9e6-f30026ca2314 or LABEL=DATA\n\n" +
        "fstype\n    The filesystem type, this will be xfs, ext2/3/4 in the case of classic filesystems, fuse in the case of fuse mounts, " +
        "and nfs in the case of nfs mounts\n\n" +
        "mkmnt\n    If the mount point is not present then the state will fail, set mkmnt: True to create the mount point if it is " +
        "otherwise not present\n\n" +
        "opts\n    A list object of options or a comma delimited list\n\n" +
        "dump\n    The dump value to be passed into the fstab, Default is 0\n\n" +
        "pass_num\n    The pass value to be passed into the fstab, Default is 0\n\n" +
        "config\n    Set an alternative location for the fstab, Default is /etc/fstab\n\n" +
        "persist\n    Set if the mount should be saved in the fstab, Default is True\n\n" +
        "mount\n    Set if the mount should be mounted immediately, Default is True\n\n" +
        "user\n    The account used to execute the mount; this defaults to the user salt is running as on the minion\n\n" +
        "match_on\n    A name or list of fstab properties on which this state should be applied. Default is auto, a special value " +
        "indicating to guess based on fstype. In general, auto matches on name for recognized special devices and device otherwise.\n\n" +
        "device_name_regex\n    A list of device exact names or regular expressions which should not force a remount.\n\n" +
        "extra_mount_invisible_options\n    A list of extra options that are not visible through the /proc/self/mountinfo interface.\n\n" +
        "extra_mount_invisible_keys\n    A list of extra key options that are not visible through the /proc/self/mountinfo interface.\n\n" +
        "extra_mount_ignore_fs_keys\n    A dict of filesystem options which should not force a remount ({'ramfs': ['size']}).\n\n" +
        "extra_mount_translate_options\n    A dict of mount options that gets translated when mounted ({'tcp': 'proto=tcp'}).\n\n" +
        "hidden_opts\n    A list of mount options that will be ignored when considering a remount as part of the state application\n\n" +
        "bind_mount_copy_active_opts\n    If set to False, this option disables the default behavior of copying the options from the " +
        "bind mount if it was found to be active.\n\n" +
        "    /srv/bigdata:\n      mount.mounted:\n        - device: UUID=066e0200-2867-4ebe-b9e6-f30026ca2314\n        - fstype: xfs\n" +
        "        - opts: nobootwait,noatime,nodiratime,nobarrier,logbufs=8\n        - dump: 0\n        - pass_num: 2\n" +
        "        - persist: True\n        - mkmnt: True";

    /// <summary>Options the kernel does not show in mountinfo: asking for them never forces a remount.</summary>
    private static readonly string[] _invisibleOptions =
    [
        "_netdev", "actimeo", "bg", "comment", "defaults", "delay_connect", "direct-io-mode", "intr", "loop", "nointr", "nobootwait", "nofail",
        "password", "reconnect", "retry", "soft", "auto", "users", "bind", "nonempty", "transform_symlinks", "port", "backup-volfile-servers",
    ];

    private static readonly string[] _invisibleKeys = ["actimeo", "comment", "credentials", "direct-io-mode", "password", "port", "retry", "secretfile"];

    /// <summary>What the mounted state has learnt so far; one per call.</summary>
    private sealed class Mounted
    {
        public required StateCall Call { get; init; }
        public required StateReturn Ret { get; init; }
        public required string Name { get; init; }
        public required string Device { get; init; }
        public required string Fstype { get; init; }
        public required List<string> Opts { get; set; }
        public required string RealName { get; init; }
        public required string CompName { get; init; }
        public Dictionary<string, object?> Active { get; set; } = new(StringComparer.Ordinal);
        public List<string> DeviceList { get; } = [];
        public string RealDevice { get; set; } = string.Empty;
        public bool UpdateCache { get; set; }
        public string? User => Call.GetString("user");
        public bool Mkmnt => Call.GetBool("mkmnt");
        public bool Mount => Call.GetBool("mount", true);
        public Dictionary<string, object?>? Entry => Active.GetValueOrDefault(CompName) as Dictionary<string, object?>;
    }

    private static async Task<StateReturn> MountedAsync(StateCall c, CancellationToken ct)
    {
        var name = c.Name;
        var ret = StateReturn.Ok(name, string.Empty);
        var device = c.GetString("device") ?? string.Empty;
        var fstype = c.GetString("fstype") ?? string.Empty;
        if (name.Length == 0 || device.Length == 0 || fstype.Length == 0)
        {
            var missing = name.Length == 0 ? "name" : device.Length == 0 ? "device" : "fstype";
            return StateReturn.Fail(name, $"Must provide {missing} to mount.mounted");
        }
        if (name != "/")
        {
            name = name.TrimEnd('/');
        }
        var realName = MountModule.RealPath(name);
        var m = new Mounted
        {
            Call = c, Ret = ret, Name = name, Device = device, Fstype = fstype, Opts = MountModule.OptionList(c["opts"] ?? "defaults"),
            RealName = realName, CompName = realName.Replace(" ", "\\040", StringComparison.Ordinal),
        };
        m.Active = await ActiveAsync(c, ct).ConfigureAwait(false);
        if (await ResolveDeviceAsync(m, ct).ConfigureAwait(false) is { } failed)
        {
            return failed;
        }
        if (m.Entry is { } entry)
        {
            if (!entry.ContainsKey("superopts"))
            {
                entry["superopts"] = new List<object?>();
            }
            if (m.Mount && await CheckActiveAsync(m, entry, ct).ConfigureAwait(false) is { } early)
            {
                return early;
            }
        }
        if (m.Entry is null && await MountOrCreateAsync(m, ct).ConfigureAwait(false) is { } done)
        {
            return done;
        }
        return c.GetBool("persist", true) ? await PersistAsync(m, ct).ConfigureAwait(false) : ret;
    }

    private static async Task<Dictionary<string, object?>> ActiveAsync(StateCall c, CancellationToken ct) =>
        await StateInvoke.CallAsync(c, "mount.active", [], new() { ["extended"] = true }, ct).ConfigureAwait(false) as Dictionary<string, object?>
            ?? new(StringComparer.Ordinal);

    private static List<string> Strings(object? value) => value is List<object?> list ? [.. list.Select(PyText.Str)] : [];

    /// <summary>The device as the active mount list would name it (Salt's <c>real_device</c>); a failed return when it cannot be found.</summary>
    private static async Task<StateReturn?> ResolveDeviceAsync(Mounted m, CancellationToken ct)
    {
        var device = m.Device;
        if (device.StartsWith('/'))
        {
            m.RealDevice = m.Opts.Contains("bind") && m.Entry is not null ? BindDevice(m) : MountModule.RealPath(device);
        }
        else if (device.StartsWith("UUID=", StringComparison.OrdinalIgnoreCase))
        {
            m.RealDevice = device.Split('=')[1].Trim('"').ToLowerInvariant();
        }
        else if (device.StartsWith("LABEL=", StringComparison.OrdinalIgnoreCase))
        {
            var label = device.Split('=')[1];
            var res = await StateInvoke.CallAsync(m.Call, "cmd.run_all", [$"blkid -t LABEL={label}"], new() { ["python_shell"] = false }, ct)
                .ConfigureAwait(false) as Dictionary<string, object?>;
            var stdout = res?.GetValueOrDefault("stdout") as string ?? string.Empty;
            if (res is null || res.GetValueOrDefault("retcode") is not 0L || stdout.Length == 0)
            {
                return StateReturn.Fail(m.Name, $"Unable to find device with label {label}.");
            }
            // Salt walks blkid's output string character by character here, so its device list holds single characters
            // and the real device is the first one: kept, so that a LABEL= mount is judged as Salt judges it.
            m.DeviceList.AddRange(stdout.Select(ch => ch == ':' ? string.Empty : ch.ToString()));
            m.RealDevice = m.DeviceList[0];
        }
        else
        {
            m.RealDevice = device;
        }
        if (MountModule.LvmDevice().Match(device) is { Success: true } lvm)
        {
            var mapper = $"/dev/mapper/{lvm.Groups["vg"].Value.Replace("-", "--", StringComparison.Ordinal)}-" +
                $"{lvm.Groups["lv"].Value.Replace("-", "--", StringComparison.Ordinal)}";
            if (Path.Exists(mapper))
            {
                m.RealDevice = mapper;
            }
        }
        if (FuseDevice().Match(device) is { Success: true } fuse)
        {
            m.RealDevice = fuse.Groups["name"].Value;
        }
        return null;
    }

    /// <summary>A bind mount's real device: the device of the mount that holds the bound path, with its options copied.</summary>
    private static string BindDevice(Mounted m)
    {
        var entry = m.Entry!;
        var copy = m.Call.GetBool("bind_mount_copy_active_opts", true);
        var path = m.Device.Replace(" ", "\\040", StringComparison.Ordinal);
        var entryOpts = entry.GetValueOrDefault("opts") as List<object?> ?? [];
        if (PyText.Str(entry.GetValueOrDefault("device")).StartsWith('/'))
        {
            while (true)
            {
                if (m.Active.GetValueOrDefault(path) is Dictionary<string, object?> holder)
                {
                    if (copy)
                    {
                        m.Opts = [.. m.Opts.Concat(Strings(holder.GetValueOrDefault("opts"))).Concat(Strings(holder.GetValueOrDefault("superopts")))
                            .Distinct().Order(StringComparer.Ordinal)];
                    }
                    entryOpts.Add("bind");
                    return PyText.Str(holder.GetValueOrDefault("device"));
                }
                var parent = Path.GetDirectoryName(path.Replace("\\040", " ", StringComparison.Ordinal));
                if (parent is null || parent == path)
                {
                    return MountModule.RealPath(m.Device);
                }
                path = parent;
            }
        }
        if (m.Active.GetValueOrDefault(path) is Dictionary<string, object?> remote)
        {
            if (copy)
            {
                m.Opts = [.. m.Opts.Concat(Strings(remote.GetValueOrDefault("opts"))).Concat(Strings(remote.GetValueOrDefault("superopts")))
                    .Distinct().Order(StringComparer.Ordinal)];
            }
            entryOpts.Add("bind");
        }
        return PyText.Str(entry.GetValueOrDefault("device"));
    }

    /// <summary>The mount point is mounted: remount for changed options, unmount for another device, or say it is in place.</summary>
    private static async Task<StateReturn?> CheckActiveAsync(Mounted m, Dictionary<string, object?> entry, CancellationToken ct)
    {
        var c = m.Call;
        var ret = m.Ret;
        m.DeviceList.Add(PyText.Str(entry.GetValueOrDefault("device")));
        m.DeviceList.Add(MountModule.RealPath(m.DeviceList[0]));
        foreach (var key in new[] { "alt_device", "device_uuid", "device_label" })
        {
            if (entry.GetValueOrDefault(key) is string { Length: > 0 } alt && !m.DeviceList.Contains(alt))
            {
                m.DeviceList.Add(alt);
            }
        }
        if (m.Opts.Count > 0 && await CheckOptionsAsync(m, entry, ct).ConfigureAwait(false) is { } early)
        {
            return early;
        }
        if (m.DeviceList.Contains(m.RealDevice))
        {
            ret.Comment = "Target was already mounted";
            return null;
        }
        foreach (var pattern in Strings(c["device_name_regex"]))
        {
            var regex = PythonRegex.Compile(pattern, RegexOptions.None);
            if (m.DeviceList.FirstOrDefault(d => regex.Match(d) is { Success: true, Index: 0 }) is { } ignored)
            {
                ret.Comment = "An umount will not be forced because device matched device_name_regex: " + ignored;
                return null;
            }
        }
        if (c.Test)
        {
            return StateReturn.Pending(m.Name, "An umount would have been forced because devices do not match.  Watched: " + m.Device);
        }
        var why = "Forced unmount because devices don't match. Wanted: " + m.Device;
        if (m.RealDevice != m.Device)
        {
            why += " (" + m.RealDevice + ")";
        }
        ret.Changes["umount"] = why + ", current: " + string.Join(", ", m.DeviceList);
        await StateInvoke.CallAsync(c, "mount.umount", [m.RealName], new() { ["user"] = m.User }, ct).ConfigureAwait(false);
        m.Active = await ActiveAsync(c, ct).ConfigureAwait(false);
        if (m.Entry is not null)
        {
            ret.Comment = "Unable to unmount";
            ret.Result = null;
            return ret;
        }
        m.UpdateCache = true;
        return null;
    }

    [GeneratedRegex(@"^\w+\#(?<name>.+)")]
    private static partial Regex FuseDevice();
}

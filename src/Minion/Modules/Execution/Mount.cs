using System.Text.RegularExpressions;
using Orchestrator.Minion.Modules.Providers;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>mount</c> module on Linux: active mounts, the fstab file, mount/umount/remount and the mount cache.</summary>
[ExecutionModule("mount")]
public sealed partial class MountModule : IExecutionModule
{
    private const string Fstab = "/etc/fstab";

    /// <summary>Filesystems that <c>match_on: auto</c> matches by mount point, not device (Salt's list).</summary>
    private static readonly HashSet<string> _specialFilesystems =
        ["none", "tmpfs", "sysfs", "proc", "fusectl", "debugfs", "securityfs", "devtmpfs", "cgroup", "nfs", "nfs4", "glusterfs", "btrfs"];

    private readonly IProcessRunner _runner;
    private readonly string _mountInfo;
    private readonly string _mounts;

    /// <param name="runner">Runs <c>mount</c>, <c>umount</c> and <c>blkid</c>.</param>
    /// <param name="procSelf">Where <c>mountinfo</c> and <c>mounts</c> are read; <c>/proc/self</c> outside tests.</param>
    public MountModule(IProcessRunner runner, string procSelf = "/proc/self")
    {
        _runner = runner;
        _mountInfo = Path.Combine(procSelf, "mountinfo");
        _mounts = Path.Combine(procSelf, "mounts");
        Functions =
        [
            new("active", "List the active mounts: {mount point: {device, fstype, opts, alt_device}}; extended=True reads " +
                "/proc/self/mountinfo and adds mountid, parentid, major, minor, root, superopts, device_uuid and device_label.\n\n" +
                "CLI Example: orch '*' mount.active", [Opt("extended", false)], ActiveFn),
            new("delete_mount_cache", "Remove a mount point from the mount cache (the 'mounts' file in the cache dir); returns True.\n\n" +
                "CLI Example: orch '*' mount.delete_mount_cache /mnt/share", [Req("real_name")],
                (c, _) => Task.FromResult<object?>(DeleteMountCache(c.Context, c.RequireString("real_name")))),
            new("fstab", "List the contents of the fstab: {mount point: {device, fstype, opts, dump, pass}} ({} when the file does not exist).\n\n" +
                "CLI Example: orch '*' mount.fstab", [Opt("config", Fstab)], (c, _) => Task.FromResult<object?>(ReadFstab(c.GetString("config") ?? Fstab))),
            new("is_mounted", "Return True if something is mounted on the path.\n\nCLI Example: orch '*' mount.is_mounted /mnt/share", [Req("name")],
                async (c, ct) => (await ActiveAsync(false, ct).ConfigureAwait(false)).ContainsKey(c.RequireString("name"))),
            new("mount", "Mount a device on name (with fstype and opts, a list or comma-separated); mkmnt creates the mount point. " +
                "Returns True, or mount's error output as a string.\n\nCLI Example: orch '*' mount.mount /mnt/foo /dev/sdz1 True",
                [Req("name"), Opt("device", false), Opt("mkmnt", false), Opt("fstype", ""), Opt("opts", "defaults"), Opt("user"), Opt("util", "mount")],
                MountFn),
            new("read_mount_cache", "Return what the mount cache holds for a mount point ({} when nothing).\n\n" +
                "CLI Example: orch '*' mount.read_mount_cache /mnt/share", [Req("name")],
                (c, _) => Task.FromResult<object?>(ReadMountCache(c.Context, c.RequireString("name")))),
            new("remount", "Remount a mounted device with the given options (mounts it when it is not mounted). Returns True, or the " +
                "error output as a string.\n\nCLI Example: orch '*' mount.remount /mnt/foo /dev/sdz1 True",
                [Req("name"), Req("device"), Opt("mkmnt", false), Opt("fstype", ""), Opt("opts", "defaults"), Opt("user")], RemountFn),
            new("rm_fstab", "Remove the mount point (and device, when given) from the fstab; returns True.\n\n" +
                "CLI Example: orch '*' mount.rm_fstab /mnt/foo /dev/sdg", [Req("name"), Opt("device"), Opt("config", Fstab)], RmFstabFn),
            new("set_fstab", "Verify that this mount is represented in the fstab, change the mount to match the data passed, or add the " +
                "mount if it is not present. Returns 'present', 'new' or 'change'; test=True writes nothing. match_on (default 'auto': " +
                "the mount point for special filesystems such as tmpfs and nfs, else the device) names the fields that find the line; " +
                "with not_change=True a found line is kept as it is.\n\nCLI Example: orch '*' mount.set_fstab /mnt/foo /dev/sdz1 ext4",
                [Req("name"), Req("device"), Req("fstype"), Opt("opts", "defaults"), Opt("dump", 0L), Opt("pass_num", 0L), Opt("config", Fstab),
                 Opt("test", false), Opt("match_on", "auto"), Opt("not_change", false)], SetFstabFn, AcceptsExtraArgs: true),
            new("umount", "Unmount what is mounted on name (or the given device). Returns True, or the error as a string.\n\n" +
                "CLI Example: orch '*' mount.umount /mnt/foo", [Req("name"), Opt("device"), Opt("user"), Opt("util", "mount")], UmountFn),
            new("write_mount_cache", "Record a mount in the mount cache: {device, fstype, mkmnt, opts}; returns True.\n\n" +
                "CLI Example: orch '*' mount.write_mount_cache /mnt/share /dev/sda1 False ext4 defaults,nosuid",
                [Req("real_name"), Req("device"), Req("mkmnt"), Req("fstype"), Req("mount_opts")],
                (c, _) => Task.FromResult<object?>(WriteMountCache(c.Context, c.RequireString("real_name"), c["device"], c["mkmnt"], c["fstype"],
                    c["mount_opts"]))),
        ];
    }

    public string Doc => "Salt module to manage Unix mounts and the fstab file.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    // ---- active ----------------------------------------------------------------------------------------------------------

    private async Task<object?> ActiveFn(ModuleCall call, CancellationToken cancellationToken) =>
        await ActiveAsync(call.GetBool("extended"), cancellationToken).ConfigureAwait(false);

    /// <summary>The active mounts; the extended form falls back to the short one when mountinfo cannot be read, as Salt does.</summary>
    public async Task<Dictionary<string, object?>> ActiveAsync(bool extended, CancellationToken cancellationToken)
    {
        var ret = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (extended && File.Exists(_mountInfo))
        {
            try
            {
                var lines = await File.ReadAllLinesAsync(_mountInfo, cancellationToken).ConfigureAwait(false);
                var list = await ListMountsAsync(cancellationToken).ConfigureAwait(false);
                var blkid = await DiskModule.BlkidAsync(_runner, null, null, cancellationToken).ConfigureAwait(false);
                foreach (var line in lines)
                {
                    AddMountInfo(ret, line, list, blkid);
                }
                return ret;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                ret.Clear();
            }
        }
        string[] mounts;
        try
        {
            mounts = await File.ReadAllLinesAsync(_mounts, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModuleException($"File not readable {_mounts}");
        }
        var aliases = await ListMountsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var line in mounts)
        {
            var comps = FstabEntry.PySplit(line);
            if (comps.Length >= 4)
            {
                ret[comps[1]] = new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["device"] = comps[0],
                    ["alt_device"] = aliases.GetValueOrDefault(comps[1]),
                    ["fstype"] = comps[2],
                    ["opts"] = Options(comps[3]),
                };
            }
        }
        return ret;
    }

    private static void AddMountInfo(Dictionary<string, object?> ret, string line, Dictionary<string, string> aliases,
        Dictionary<string, object?> blkid)
    {
        var comps = FstabEntry.PySplit(line);
        var sep = Array.IndexOf(comps, "-");
        if (sep < 6 || comps.Length < sep + 4)
        {
            return;
        }
        var device = comps[2].Split(':');
        var deviceName = comps[sep + 2];
        var info = blkid.GetValueOrDefault(deviceName) as Dictionary<string, object?>;
        var uuid = info?.GetValueOrDefault("UUID") as string;
        ret[comps[4]] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["mountid"] = comps[0],
            ["parentid"] = comps[1],
            ["major"] = device[0],
            ["minor"] = device.Length > 1 ? device[1] : string.Empty,
            ["root"] = comps[3],
            ["opts"] = Options(comps[5]),
            ["fstype"] = comps[sep + 1],
            ["device"] = deviceName.Replace("\\040", "\\ ", StringComparison.Ordinal),
            ["alt_device"] = aliases.GetValueOrDefault(comps[4]),
            ["superopts"] = Options(comps[sep + 3]),
            ["device_uuid"] = uuid?.ToLowerInvariant(),
            ["device_label"] = info?.GetValueOrDefault("LABEL") as string,
        };
    }

    /// <summary>A comma-separated option list with escaped spaces shown as Salt shows them.</summary>
    private static List<object?> Options(string text) =>
        [.. text.Split(',').Select(o => (object?)o.Replace("\\040", "\\ ", StringComparison.Ordinal))];

    /// <summary><c>mount -l</c>: mount point to the device as mount names it (Salt's <c>alt_device</c>).</summary>
    private async Task<Dictionary<string, string>> ListMountsAsync(CancellationToken cancellationToken)
    {
        var ret = new Dictionary<string, string>(StringComparer.Ordinal);
        ProcessResult result;
        try
        {
            result = await HostCommand.RunAsync(_runner, "mount", ["-l"], cancellationToken).ConfigureAwait(false);
        }
        catch (ModuleException)
        {
            return ret;
        }
        foreach (var line in result.Stdout.Split('\n'))
        {
            var comps = FstabEntry.PySplit(line);
            if (comps.Length >= 3)
            {
                ret[comps[2]] = comps[0];
            }
        }
        return ret;
    }

    // ---- fstab -----------------------------------------------------------------------------------------------------------

    /// <summary>Salt's <c>mount.fstab</c>: entries by mount point; a repeated mount point gets a trailing '_' per repeat.</summary>
    public static Dictionary<string, object?> ReadFstab(string config)
    {
        var ret = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (!File.Exists(config))
        {
            return ret;
        }
        foreach (var line in PyText.LinesWithEnds(ReadText(config)))
        {
            if (FstabEntry.Parse(line, FstabEntry.CompatibilityKeys) is not { } entry)
            {
                continue;
            }
            var name = entry["name"];
            while (ret.ContainsKey(name))
            {
                name += "_";
            }
            ret[name] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["device"] = entry["device"],
                ["fstype"] = entry["fstype"],
                ["opts"] = entry["opts"].Split(',').Cast<object?>().ToList(),
                ["dump"] = entry["dump"],
                ["pass"] = entry["pass"],
            };
        }
        return ret;
    }

    private static Task<object?> RmFstabFn(ModuleCall call, CancellationToken cancellationToken) =>
        Task.FromResult<object?>(RmFstab(call.RequireString("name"), call.GetString("device"), call.GetString("config") ?? Fstab));

    /// <summary>Salt's <c>mount.rm_fstab</c>: drops the matching lines; True whether or not one matched, as Salt returns.</summary>
    public static bool RmFstab(string name, string? device, string config)
    {
        var criteria = new FstabEntry([new("name", name), new("device", device)]);
        string text;
        try
        {
            text = File.ReadAllText(config);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModuleException($"Couldn't read from {config}: {Describe(e, config)}");
        }
        var lines = PyText.LinesWithEnds(text);
        var kept = lines.Where(l => !criteria.Matches(l)).ToList();
        if (kept.Count != lines.Count)
        {
            try
            {
                File.WriteAllText(config, string.Concat(kept));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ModuleException($"Couldn't write to {config}: {Describe(e, config)}");
            }
        }
        return true;
    }

    private static Task<object?> SetFstabFn(ModuleCall call, CancellationToken cancellationToken)
    {
        var test = call.GetBool("test") || call.ExtraKwargs.Any(kv => kv.Key.Equals("test", StringComparison.OrdinalIgnoreCase) && DataTree.IsTruthy(kv.Value));
        return Task.FromResult<object?>(SetFstab(call.RequireString("name"), call.RequireString("device"), call.RequireString("fstype"),
            call["opts"], call["dump"], call["pass_num"], call.GetString("config") ?? Fstab, test, call["match_on"], call.GetBool("not_change")));
    }

    /// <summary>Salt's <c>mount.set_fstab</c>: 'present', 'new' or 'change'; writes the file unless <paramref name="test"/>.</summary>
    public static string SetFstab(string name, string device, string fstype, object? opts, object? dump, object? passNum, string config, bool test,
        object? matchOn, bool notChange)
    {
        var optsText = opts is List<object?> list ? string.Join(',', list.Select(PyText.Str)) : PyText.Str(opts ?? "defaults");
        var entry = new FstabEntry(
        [
            new("name", name), new("device", device.Replace("\\ ", "\\040", StringComparison.Ordinal)), new("fstype", fstype),
            new("opts", optsText.Replace("\\ ", "\\040", StringComparison.Ordinal)), new("dump", dump ?? 0L), new("pass_num", passNum ?? 0L),
        ]);
        List<string> keys = matchOn switch
        {
            List<object?> names => [.. names.Select(PyText.Str)],
            "auto" => [_specialFilesystems.Contains(fstype) ? "name" : "device"],
            string one => [one],
            _ => throw new ModuleException("match_on must be a string or list of strings"),
        };
        var criteria = entry.Pick(keys)
            ?? throw new ModuleException($"Unrecognized keys in match_on: \"{string.Join(", ", keys.Where(k => !FstabEntry.Keys.Contains(k)))}\"");
        if (!File.Exists(config))
        {
            throw new ModuleException($"Bad config file \"{config}\"");
        }
        var lines = new List<string>();
        string? ret = null;
        foreach (var line in PyText.LinesWithEnds(ReadText(config)))
        {
            if (!criteria.Matches(line))
            {
                lines.Add(line);
                continue;
            }
            ret = "present";
            if (entry.Matches(line) || notChange)
            {
                lines.Add(line);
            }
            else
            {
                ret = "change";
                lines.Add(entry.ToString());
            }
        }
        if (ret is null)
        {
            lines.Add(entry.ToString());
            ret = "new";
        }
        if (ret != "present" && !test)
        {
            try
            {
                File.WriteAllText(config, string.Concat(lines));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ModuleException($"File not writable {config}");
            }
        }
        return ret;
    }

    private static string ReadText(string config)
    {
        try
        {
            return File.ReadAllText(config);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModuleException($"Couldn't read from {config}: {Describe(e, config)}");
        }
    }

    private static string Describe(Exception e, string path) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => $"[Errno 2] No such file or directory: '{path}'",
        UnauthorizedAccessException => $"[Errno 13] Permission denied: '{path}'",
        _ => e.Message,
    };

    // ---- mount, remount, umount ------------------------------------------------------------------------------------------

    private async Task<object?> MountFn(ModuleCall call, CancellationToken cancellationToken)
    {
        if (call.GetString("util") is { } util && util != "mount")
        {
            return false;
        }
        var device = call["device"] is string d && d.Length > 0 ? d : null;
        return await MountAsync(call.Context, call.RequireString("name"), device, call.GetBool("mkmnt"), call.GetString("fstype") ?? string.Empty,
            call["opts"], call.GetString("user"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Salt's <c>mount.mount</c>: True, or mount's standard error (as a string) when it fails.</summary>
    public async Task<object> MountAsync(ModuleContext context, string name, string? device, bool mkmnt, string fstype, object? opts, string? user,
        CancellationToken cancellationToken)
    {
        if (!Path.Exists(name) && mkmnt)
        {
            await MakeDirAsync(context, name, user, cancellationToken).ConfigureAwait(false);
        }
        // Without a device, mount finds the rest in the fstab, and Salt passes no options or type either.
        var args = new List<string>();
        if (device is not null)
        {
            if (opts is not null && OptionList(opts) is { Count: > 0 } list)
            {
                args.AddRange(["-o", string.Join(',', list)]);
            }
            if (fstype.Length > 0)
            {
                args.AddRange(["-t", fstype]);
            }
            args.Add(device);
        }
        args.Add(name);
        return await RunAsync("mount", args, user, cancellationToken).ConfigureAwait(false);
    }

    private async Task<object?> RemountFn(ModuleCall call, CancellationToken cancellationToken) =>
        await RemountAsync(call.Context, call.RequireString("name"), call.RequireString("device"), call.GetBool("mkmnt"),
            call.GetString("fstype") ?? string.Empty, call["opts"], call.GetString("user"), cancellationToken).ConfigureAwait(false);

    /// <summary>Salt's <c>mount.remount</c>: <c>mount -o remount,...</c> when mounted, else a plain mount.</summary>
    public async Task<object> RemountAsync(ModuleContext context, string name, string device, bool mkmnt, string fstype, object? opts, string? user,
        CancellationToken cancellationToken)
    {
        var list = OptionList(opts ?? "defaults");
        if (!(await ActiveAsync(false, cancellationToken).ConfigureAwait(false)).ContainsKey(name))
        {
            return await MountAsync(context, name, device, mkmnt, fstype, list, user, cancellationToken).ConfigureAwait(false);
        }
        if (!list.Contains("remount"))
        {
            list.Add("remount");
        }
        var args = new List<string> { "-o", string.Join(',', list) };
        if (fstype.Length > 0)
        {
            args.AddRange(["-t", fstype]);
        }
        args.AddRange([device, name]);
        return await RunAsync("mount", args, user, cancellationToken).ConfigureAwait(false);
    }

    private async Task<object?> UmountFn(ModuleCall call, CancellationToken cancellationToken)
    {
        if (call.GetString("util") is "guestfs" or "qemu_nbd")
        {
            throw new ModuleException($"mount.umount: util '{call.GetString("util")}' is not available on this minion");
        }
        return await UmountAsync(call.RequireString("name"), call.GetString("device"), call.GetString("user"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Salt's <c>mount.umount</c>: True, "NAME does not have anything mounted", or umount's error output.</summary>
    public async Task<object> UmountAsync(string name, string? device, string? user, CancellationToken cancellationToken)
    {
        if (!(await ActiveAsync(false, cancellationToken).ConfigureAwait(false)).ContainsKey(name))
        {
            return $"{name} does not have anything mounted";
        }
        return await RunAsync("umount", [string.IsNullOrEmpty(device) ? name : device], user, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a mount tool: True on success, else its standard error with trailing whitespace removed (as cmd.run_all gives it).</summary>
    private async Task<object> RunAsync(string tool, List<string> args, string? user, CancellationToken cancellationToken)
    {
        var result = await _runner.RunAsync(new ProcessRequest(tool, args) { RunAs = user }, cancellationToken).ConfigureAwait(false);
        return result.ExitCode != 0 ? result.Stderr.TrimEnd() : true;
    }

    private static async Task MakeDirAsync(ModuleContext context, string name, string? user, CancellationToken cancellationToken)
    {
        if (context.Modules.Exists("file.mkdir"))
        {
            var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal) { ["user"] = user };
            var made = await context.Modules.InvokeAsync("file.mkdir", [name], kwargs, context, cancellationToken).ConfigureAwait(false);
            if (!made.Success)
            {
                throw new ModuleException(PyText.Str(made.Return));
            }
            return;
        }
        Directory.CreateDirectory(name);
    }

    /// <summary>Options as a list: a comma-separated string is split, a list is taken word by word.</summary>
    public static List<string> OptionList(object? opts) => opts switch
    {
        null => [],
        List<object?> list => [.. list.Select(PyText.Str)],
        var text => [.. PyText.Str(text).Split(',')],
    };

    // ---- paths -----------------------------------------------------------------------------------------------------------

    /// <summary>Python's <c>os.path.realpath</c>: absolute, normalized, every existing symlink on the way followed.</summary>
    public static string RealPath(string path)
    {
        var todo = new Stack<string>(Segments(Path.GetFullPath(path)).Reverse());
        var current = "/";
        var links = 0;
        while (todo.TryPop(out var segment))
        {
            if (segment == ".")
            {
                continue;
            }
            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }
            var next = Path.Join(current, segment);
            var target = links < 40 ? new FileInfo(next).LinkTarget : null;
            if (target is null)
            {
                current = next;
                continue;
            }
            links++;
            if (Path.IsPathRooted(target))
            {
                current = "/";
            }
            foreach (var part in Segments(target).Reverse())
            {
                todo.Push(part);
            }
        }
        return current;
    }

    private static string[] Segments(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"^/dev/(?<vg>[^/]+)/(?<lv>[^/]+$)")]
    internal static partial Regex LvmDevice();
}

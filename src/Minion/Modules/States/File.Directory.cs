using Orchestrator.Minion.StateEngine;

namespace Orchestrator.Minion.Modules.States;

// file.directory, in the order of Salt's checks; its comments name the directory without a trailing slash.
public sealed partial class FileState
{
    private static StateReturn Directory(StateCall c)
    {
        var ret = New(c);
        var name = c.Name.Length > 1 && c.Name.EndsWith('/') ? c.Name[..^1] : c.Name;
        var user = c.GetString("user");
        var group = c.GetString("group");
        var mode = NormalizeMode(c["dir_mode"] ?? c["mode"]);
        if (!c.Test && CheckUser(user, group) is { } userError)
        {
            return StateReturn.Fail(c.Name, userError);
        }
        if (!Path.IsPathRooted(name))
        {
            return StateReturn.Fail(c.Name, $"Specified file {name} is not an absolute path");
        }
        var isLink = new FileInfo(name).LinkTarget is not null;
        if (System.IO.File.Exists(name) && !isLink)
        {
            return StateReturn.Fail(c.Name, $"Specified location {name} exists and is a file");
        }
        if (isLink && !c.GetBool("allow_symlink", true))
        {
            return StateReturn.Fail(c.Name, $"Specified location {name} exists and is a symlink");
        }
        var pending = DirectoryChanges(c, name, mode);
        if (c.Test)
        {
            if (pending.Count == 0)
            {
                ret.Comment = $"The directory {name} is in the correct state";
                return ret;
            }
            ret.Changes[name] = pending;
            ret.Result = null;
            ret.Comment = "The following files will be changed:\n"
                + string.Concat(pending.Select(kv => $"{name}: {kv.Key} - {kv.Value}\n"));
            return ret;
        }
        if (pending.Count == 0)
        {
            ret.Comment = $"The directory {name} is in the correct state";
            return ret;
        }
        if (!System.IO.Directory.Exists(name))
        {
            if (!System.IO.Directory.Exists(Path.GetDirectoryName(name)!) && !c.GetBool("makedirs"))
            {
                return StateReturn.Fail(c.Name, $"No directory to create {name} in");
            }
            System.IO.Directory.CreateDirectory(name);
            if (mode is not null)
            {
                SetMode(name, mode);
            }
            if (ApplyOwnership(c, name, new StateReturn { Name = name }) is { } createErr)
            {
                return StateReturn.Fail(c.Name, createErr);
            }
            // Salt leaves the comment of a new directory empty.
            ret.Changes[name] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["directory"] = "new" };
            return ret;
        }
        if (mode is not null && CurrentMode(name) != mode)
        {
            SetMode(name, mode);
            ret.Changes["mode"] = mode;
        }
        if (ApplyOwnership(c, name, ret) is { } err)
        {
            return StateReturn.Fail(c.Name, err);
        }
        ret.Comment = ret.Changes.Count > 0 ? $"Directory {name} updated" : $"The directory {name} is in the correct state";
        return ret;
    }

    // Salt's _check_dir_meta for the directory itself: new, or the user, group and mode it would get.
    private static Dictionary<string, object?> DirectoryChanges(StateCall c, string name, string? mode)
    {
        var changes = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (!System.IO.Directory.Exists(name))
        {
            changes["directory"] = "new";
            return changes;
        }
        foreach (var (k, v) in PendingOwnership(c, name))
        {
            changes[k] = v;
        }
        if (mode is not null && CurrentMode(name) != mode)
        {
            changes["mode"] = mode;
        }
        return changes;
    }
}

using Orchestrator.Minion.StateEngine;

namespace Orchestrator.Minion.Modules.States;

// file.directory.
public sealed partial class FileState
{
    private static StateReturn Directory(StateCall c)
    {
        if (NotAbsolute(c) is { } bad)
        {
            return StateReturn.Fail(c.Name, bad);
        }
        var ret = New(c);
        if (System.IO.File.Exists(c.Name))
        {
            return StateReturn.Fail(c.Name, $"Specified location {c.Name} exists and is a file");
        }
        var exists = System.IO.Directory.Exists(c.Name);
        var mode = NormalizeMode(c["dir_mode"] ?? c["mode"]);
        if (!exists && !System.IO.Directory.Exists(Path.GetDirectoryName(c.Name)!) && !c.GetBool("makedirs"))
        {
            return StateReturn.Fail(c.Name, $"No directory to create {c.Name} in");
        }
        if (c.Test)
        {
            if (!exists)
            {
                ret.Changes[c.Name] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["directory"] = "new" };
            }
            else if (mode is not null && CurrentMode(c.Name) != mode)
            {
                ret.Changes[c.Name] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["mode"] = mode };
            }
            foreach (var (k, v) in PendingOwnership(c, exists ? c.Name : null))
            {
                ret.Changes[k] = v;
            }
            ret.Result = ret.Changes.Count > 0 ? null : true;
            ret.Comment = ret.Changes.Count > 0
                ? $"The following files will be changed:\n{c.Name}: directory - new\n"
                : $"The directory {c.Name} is in the correct state";
            return ret;
        }
        if (!exists)
        {
            System.IO.Directory.CreateDirectory(c.Name);
            ret.Changes[c.Name] = "New Dir";
        }
        if (mode is not null && CurrentMode(c.Name) != mode)
        {
            SetMode(c.Name, mode);
            ret.Changes["mode"] = mode;
        }
        if (ApplyOwnership(c, c.Name, ret) is { } err)
        {
            return StateReturn.Fail(c.Name, err);
        }
        ret.Comment = ret.Changes.Count > 0 ? $"Directory {c.Name} updated" : $"The directory {c.Name} is in the correct state";
        return ret;
    }
}

using Orchestrator.Minion.StateEngine;

namespace Orchestrator.Minion.Modules.States;

// file.absent, file.exists, file.missing, file.touch and file.symlink.
public sealed partial class FileState
{
    private static StateReturn Absent(StateCall c)
    {
        if (NotAbsolute(c) is { } bad)
        {
            return StateReturn.Fail(c.Name, bad);
        }
        var ret = New(c);
        var isLink = new FileInfo(c.Name).LinkTarget is not null;
        if (System.IO.File.Exists(c.Name) || isLink)
        {
            if (c.Test)
            {
                ret.Result = null;
                ret.Changes["removed"] = c.Name;
                ret.Comment = $"File {c.Name} is set for removal";
                return ret;
            }
            System.IO.File.Delete(c.Name);
            ret.Changes["removed"] = c.Name;
            ret.Comment = $"Removed file {c.Name}";
            return ret;
        }
        if (System.IO.Directory.Exists(c.Name))
        {
            if (c.Name == "/")
            {
                return StateReturn.Fail(c.Name, "Refusing to make \"/\" absent");
            }
            if (c.Test)
            {
                ret.Result = null;
                ret.Changes["removed"] = c.Name;
                ret.Comment = $"Directory {c.Name} is set for removal";
                return ret;
            }
            System.IO.Directory.Delete(c.Name, recursive: true);
            ret.Changes["removed"] = c.Name;
            ret.Comment = $"Removed directory {c.Name}";
            return ret;
        }
        ret.Comment = $"File {c.Name} is not present";
        return ret;
    }

    private static StateReturn Exists(StateCall c) =>
        System.IO.File.Exists(c.Name) || System.IO.Directory.Exists(c.Name)
            ? StateReturn.Ok(c.Name, $"Path {c.Name} exists")
            : StateReturn.Fail(c.Name, $"Specified path {c.Name} does not exist");

    private static StateReturn Missing(StateCall c) =>
        System.IO.File.Exists(c.Name) || System.IO.Directory.Exists(c.Name)
            ? StateReturn.Fail(c.Name, $"Specified path {c.Name} exists")
            : StateReturn.Ok(c.Name, $"Path {c.Name} is missing");

    private static StateReturn Touch(StateCall c)
    {
        if (NotAbsolute(c) is { } bad)
        {
            return StateReturn.Fail(c.Name, bad);
        }
        var ret = New(c);
        var exists = System.IO.File.Exists(c.Name) || System.IO.Directory.Exists(c.Name);
        if (c.Test)
        {
            ret.Result = null;
            ret.Comment = exists ? $"File {c.Name} set to be updated" : $"File {c.Name} set to be created";
            ret.Changes[exists ? "touched" : "new"] = c.Name;
            return ret;
        }
        var parent = Path.GetDirectoryName(c.Name)!;
        if (!System.IO.Directory.Exists(parent))
        {
            if (!c.GetBool("makedirs"))
            {
                return StateReturn.Fail(c.Name, $"Directory not present to touch file {c.Name}");
            }
            System.IO.Directory.CreateDirectory(parent);
        }
        if (!exists)
        {
            System.IO.File.WriteAllBytes(c.Name, []);
            ret.Comment = $"Created empty file {c.Name}";
            ret.Changes["new"] = c.Name;
        }
        else
        {
            System.IO.File.SetLastWriteTime(c.Name, DateTime.Now);
            ret.Comment = $"Updated times on file {c.Name}";
            ret.Changes["touched"] = c.Name;
        }
        return ret;
    }

    private static StateReturn Symlink(StateCall c)
    {
        if (NotAbsolute(c) is { } bad)
        {
            return StateReturn.Fail(c.Name, bad);
        }
        var target = c.GetString("target")!;
        var ret = New(c);
        var info = new FileInfo(c.Name);
        if (info.LinkTarget == target)
        {
            ret.Comment = $"Symlink {c.Name} is present and owned by {Owner(c.Name).User}:{Owner(c.Name).Group}";
            return ret;
        }
        var occupied = info.LinkTarget is not null || System.IO.File.Exists(c.Name) || System.IO.Directory.Exists(c.Name);
        if (occupied && info.LinkTarget is null && !c.GetBool("force"))
        {
            return StateReturn.Fail(c.Name, $"File exists where the symlink {c.Name} should be");
        }
        if (c.Test)
        {
            ret.Result = null;
            ret.Comment = $"Symlink {c.Name} to {target} is set for creation";
            ret.Changes["new"] = c.Name;
            return ret;
        }
        var parent = Path.GetDirectoryName(c.Name)!;
        if (!System.IO.Directory.Exists(parent))
        {
            if (!c.GetBool("makedirs"))
            {
                return StateReturn.Fail(c.Name, $"Directory {parent} for symlink is not present");
            }
            System.IO.Directory.CreateDirectory(parent);
        }
        if (occupied)
        {
            if (System.IO.Directory.Exists(c.Name) && info.LinkTarget is null)
            {
                System.IO.Directory.Delete(c.Name, true);
            }
            else
            {
                System.IO.File.Delete(c.Name);
            }
            ret.Changes["new"] = c.Name;
            ret.Comment = $"Set symlink {c.Name} to {target}";
        }
        else
        {
            ret.Changes["new"] = c.Name;
            ret.Comment = $"Created new symlink {c.Name} -> {target}";
        }
        System.IO.File.CreateSymbolicLink(c.Name, target);
        return ret;
    }
}

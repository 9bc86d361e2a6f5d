using System.Globalization;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

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
            return CheckTouch(c, ret, exists);
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
        // Salt's file.touch: atime/mtime are epoch seconds (digits become ints); a missing one is now, and with neither
        // both are now.
        if (TouchTime(c, "atime") is not { Ok: true } atime || TouchTime(c, "mtime") is not { Ok: true } mtime)
        {
            return StateReturn.Fail(c.Name, SaltExceptionText.Comment("atime and mtime must be integers", "salt.exceptions.SaltInvocationError"));
        }
        if (!exists)
        {
            System.IO.File.WriteAllBytes(c.Name, []);
        }
        var now = DateTime.UtcNow;
        var isDir = System.IO.Directory.Exists(c.Name);
        FileSystemInfo info = isDir ? new DirectoryInfo(c.Name) : new FileInfo(c.Name);
        info.LastAccessTimeUtc = atime.Value ?? now;
        info.LastWriteTimeUtc = mtime.Value ?? now;
        if (!exists)
        {
            ret.Comment = $"Created empty file {c.Name}";
            ret.Changes["new"] = c.Name;
        }
        else
        {
            ret.Comment = $"Updated times on {(isDir ? "directory" : "file")} {c.Name}";
            ret.Changes["touched"] = c.Name;
        }
        return ret;
    }

    private static (bool Ok, DateTime? Value) TouchTime(StateCall c, string key)
    {
        double? seconds = c[key] switch
        {
            null => null,
            long l => l,
            double d => d,
            string s when s.Length > 0 && s.All(char.IsAsciiDigit) => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture),
            _ => double.NaN,
        };
        if (seconds is double.NaN)
        {
            return (false, null);
        }
        return (true, seconds is { } v ? DateTime.UnixEpoch.AddSeconds(v) : null);
    }

    // Salt's _check_touch: its changes start as {new: name} and are only replaced when times would change, so an existing
    // path with the right times is reported as result True *with* changes (onchanges/watch on it fire in test mode).
    private static StateReturn CheckTouch(StateCall c, StateReturn ret, bool exists)
    {
        ret.Result = null;
        ret.Changes["new"] = c.Name;
        if (!exists)
        {
            ret.Comment = $"File {c.Name} is set to be created";
            return ret;
        }
        var info = new FileInfo(c.Name);
        // Salt compares str(atime) with str() of file.stats' float times.
        static string Stamp(DateTime time) => PyText.Str(new DateTimeOffset(time).ToUnixTimeMilliseconds() / 1000.0);
        if ((c.Has("atime") && PyText.Str(c["atime"]) != Stamp(info.LastAccessTimeUtc))
            || (c.Has("mtime") && PyText.Str(c["mtime"]) != Stamp(info.LastWriteTimeUtc)))
        {
            ret.Comment = $"Times set to be updated on file {c.Name}";
            ret.Changes = new Dictionary<string, object?>(StringComparer.Ordinal) { ["touched"] = c.Name };
            return ret;
        }
        ret.Result = true;
        ret.Comment = $"File {c.Name} exists and has the correct times";
        return ret;
    }

    private static StateReturn Symlink(StateCall c)
    {
        var target = c.GetString("target")!;
        var ret = New(c);
        var isLink = new FileInfo(c.Name).LinkTarget is not null;
        var (user, group, preflightError) = SymlinkPreflight(c, isLink);
        if (preflightError is not null)
        {
            return StateReturn.Fail(c.Name, preflightError);
        }
        var (result, comment, changes) = SymlinkCheck(c, target, isLink, user, group);
        var parent = Path.GetDirectoryName(c.Name)!;
        if (!System.IO.Directory.Exists(parent))
        {
            if (c.GetBool("makedirs"))
            {
                if (c.Test)
                {
                    comment += $"\n{parent} will be created";
                }
                else
                {
                    System.IO.Directory.CreateDirectory(parent);
                }
            }
            else if (c.Test)
            {
                comment += $"\nDirectory {parent} for symlink is not present";
            }
            else
            {
                return StateReturn.Fail(c.Name, $"Directory {parent} for symlink is not present");
            }
        }
        if (c.Test)
        {
            ret.Result = result;
            ret.Comment = comment;
            ret.Changes = changes;
            return ret;
        }
        return ApplySymlink(c, ret, target, isLink, user, group);
    }

    private static StateReturn ApplySymlink(StateCall c, StateReturn ret, string target, bool isLink, string user, string group)
    {
        var parent = Path.GetDirectoryName(c.Name)!;
        var force = c.GetBool("force");
        if (isLink && Path.GetFullPath(new FileInfo(c.Name).LinkTarget!, parent) == Path.GetFullPath(target, parent))
        {
            return SymlinkOwnership(c, ret, user, group);
        }
        if (isLink && !force)
        {
            return StateReturn.Fail(c.Name, $"Unable to create new symlink {c.Name} -> {target}: Found existing symlink: {c.Name}");
        }
        if (!isLink && (System.IO.File.Exists(c.Name) || System.IO.Directory.Exists(c.Name)))
        {
            if (!force)
            {
                var kind = System.IO.File.Exists(c.Name) ? "File" : "Directory";
                return StateReturn.Fail(c.Name, $"{kind} exists where the symlink {c.Name} should be");
            }
            if (System.IO.Directory.Exists(c.Name))
            {
                System.IO.Directory.Delete(c.Name, true);
            }
            else
            {
                System.IO.File.Delete(c.Name);
            }
        }
        else if (isLink)
        {
            System.IO.File.Delete(c.Name);
        }
        try
        {
            System.IO.File.CreateSymbolicLink(c.Name, target);
        }
        catch (IOException e)
        {
            return StateReturn.Fail(c.Name, $"Unable to create new symlink {c.Name} -> {target}: {e.Message}");
        }
        ret.Comment = $"Created new symlink {c.Name} -> {target}";
        ret.Changes["new"] = c.Name;
        if (LinkOwner(c.Name) != (user, group) && Exec("chown", "-h", $"{user}:{group}", c.Name).Code != 0)
        {
            ret.Result = false;
            ret.Comment += $", but was unable to set ownership to {user}:{group}";
        }
        return ret;
    }

    // Salt's owner defaults (the minion's user and that user's primary group) and its preflight errors, joined by ". ".
    private static (string User, string Group, string? Error) SymlinkPreflight(StateCall c, bool isLink)
    {
        var user = c.GetString("user");
        var group = c.GetString("group");
        if (c.GetBool("inherit_user_and_group") && (user is null || group is null) && isLink)
        {
            var (curUser, curGroup) = LinkOwner(c.Name);
            user ??= curUser;
            group ??= curGroup;
        }
        user ??= c.Context.Opt("user") as string ?? "root";
        group ??= PrimaryGroup(user) ?? user;
        var preflight = new List<string>();
        if (!long.TryParse(user, CultureInfo.InvariantCulture, out _) && Exec("getent", "passwd", user).Code != 0)
        {
            preflight.Add($"User {user} does not exist");
        }
        if (!long.TryParse(group, CultureInfo.InvariantCulture, out _) && Exec("getent", "group", group).Code != 0)
        {
            preflight.Add($"Group {group} does not exist");
        }
        if (!Path.IsPathRooted(c.Name))
        {
            preflight.Add($"Specified file {c.Name} is not an absolute path");
        }
        var error = preflight.Count == 0 ? null : string.Join(". ", preflight) + (preflight.Count > 1 ? "." : string.Empty);
        return (user, group, error);
    }

    // Salt's _symlink_check: what a test run reports.
    private static (bool? Result, string Comment, Dictionary<string, object?> Changes) SymlinkCheck(
        StateCall c, string target, bool isLink, string user, string group)
    {
        var changes = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (!isLink && !System.IO.File.Exists(c.Name) && !System.IO.Directory.Exists(c.Name))
        {
            changes["new"] = c.Name;
            return (null, $"Symlink {c.Name} to {target} is set for creation", changes);
        }
        if (isLink)
        {
            if (new FileInfo(c.Name).LinkTarget != target)
            {
                changes["change"] = c.Name;
                return (null, $"Link {c.Name} target is set to be changed to {target}", changes);
            }
            var msg = $"The symlink {c.Name} is present";
            var (curUser, curGroup) = LinkOwner(c.Name);
            if ((curUser, curGroup) != (user, group))
            {
                changes["ownership"] = $"{curUser}:{curGroup}";
                return (null, msg + $", but the ownership of the symlink would be changed from {curUser}:{curGroup} to {user}:{group}", changes);
            }
            return (true, msg, changes);
        }
        return c.GetBool("force")
            ? (null, $"The file or directory {c.Name} is set for removal to make way for a new symlink targeting {target}", changes)
            : (false, $"File or directory exists where the symlink {c.Name} should be. Did you mean to use force?", changes);
    }

    private static StateReturn SymlinkOwnership(StateCall c, StateReturn ret, string user, string group)
    {
        if (LinkOwner(c.Name) == (user, group))
        {
            ret.Comment = $"Symlink {c.Name} is present and owned by {user}:{group}";
            return ret;
        }
        if (Exec("chown", "-h", $"{user}:{group}", c.Name).Code != 0)
        {
            return StateReturn.Fail(c.Name, $"Failed to set ownership of symlink {c.Name} to {user}:{group}");
        }
        ret.Comment = $"Set ownership of symlink {c.Name} to {user}:{group}";
        ret.Changes["ownership"] = $"{user}:{group}";
        return ret;
    }

    private static (string User, string Group) LinkOwner(string path) => Owner(path);

    private static string? PrimaryGroup(string user)
    {
        var (code, output) = Exec("id", "-gn", user);
        return code == 0 ? output.Trim() : null;
    }
}

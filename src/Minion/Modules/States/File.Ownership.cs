using System.Diagnostics;
using System.Globalization;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

// Mode and ownership of a path, shared by the file states.
public sealed partial class FileState
{
    /// <summary>The mode to set: Salt's <c>normalize_mode</c>, with no mode for an empty one.</summary>
    private static string? NormalizeMode(object? mode)
    {
        var text = mode is null ? null : PyText.Str(mode).Trim();
        return string.IsNullOrEmpty(text) ? null : FileTemplateContext.NormalizeMode(text);
    }

    private static string CurrentMode(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return string.Empty;
        }
        var mode = (int)System.IO.File.GetUnixFileMode(path);
        return Convert.ToString(mode, 8).PadLeft(4, '0');
    }

    private static void SetMode(string path, string mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(mode, 8));
        }
    }

    private static Dictionary<string, object?> PendingOwnership(StateCall c, string? path)
    {
        var pending = new Dictionary<string, object?>(StringComparer.Ordinal);
        var wantUser = c.GetString("user");
        var wantGroup = c.GetString("group");
        // Owner() forks `stat`: only ask when the state sets a user or group (it was 1-2 forks per file.managed otherwise).
        if (path is null || (wantUser is null && wantGroup is null))
        {
            return pending;
        }
        var (user, group) = Owner(path);
        if (wantUser is { } u && u != user)
        {
            pending["user"] = u;
        }
        if (wantGroup is { } g && g != group)
        {
            pending["group"] = g;
        }
        return pending;
    }

    private static string? ApplyOwnership(StateCall c, string path, StateReturn ret)
    {
        var pending = PendingOwnership(c, path);
        if (pending.Count == 0)
        {
            return null;
        }
        var spec = (pending.GetValueOrDefault("user") as string ?? string.Empty) + (pending.ContainsKey("group") ? ":" + pending["group"] : string.Empty);
        var (code, output) = Exec("chown", "-h", spec, path);
        if (code != 0)
        {
            return $"Failed to change ownership of {path}: {output.Trim()}";
        }
        foreach (var (k, v) in pending)
        {
            ret.Changes[k] = v;
        }
        return null;
    }

    // Salt's _check_user: the user and group a file state sets must exist (a numeric id is taken as it is).
    private static string? CheckUser(string? user, string? group)
    {
        var error = string.Empty;
        if (!string.IsNullOrEmpty(user) && !long.TryParse(user, CultureInfo.InvariantCulture, out _) && Exec("getent", "passwd", user).Code != 0)
        {
            error += $"User {user} is not available ";
        }
        if (!string.IsNullOrEmpty(group) && !long.TryParse(group, CultureInfo.InvariantCulture, out _) && Exec("getent", "group", group).Code != 0)
        {
            error += $"Group {group} is not available";
        }
        return error.Length > 0 ? error : null;
    }

    private static (string User, string Group) Owner(string path)
    {
        var (code, output) = Exec("stat", "-c", "%U:%G", path);
        if (code != 0)
        {
            return (string.Empty, string.Empty);
        }
        var parts = output.Trim().Split(':');
        return (parts[0], parts.Length > 1 ? parts[1] : string.Empty);
    }

    private static (int Code, string Output) Exec(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr);
    }
}

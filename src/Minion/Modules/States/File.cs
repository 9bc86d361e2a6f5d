using Orchestrator.Shared.Rendering;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>file</c> states: managed files, directories, links, edits and copies.</summary>
[StateModule("file")]
public sealed partial class FileState : IStateModule
{
    private static readonly FunctionParameter[] _name = [FunctionParameter.Req("name")];

    public string Doc => "Manage files, directories, symlinks and file contents.";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("managed", _name, ManagedAsync, "Makes a file have the given contents (source, contents, template), owner and mode."),
        new("directory", _name, (c, _) => Task.FromResult(Directory(c)), "Makes a directory exist with the given owner and mode."),
        new("absent", _name, (c, _) => Task.FromResult(Absent(c)), "Removes a file or directory."),
        new("exists", _name, (c, _) => Task.FromResult(Exists(c)), "Verifies a path exists (changes nothing)."),
        new("missing", _name, (c, _) => Task.FromResult(Missing(c)), "Verifies a path does not exist (changes nothing)."),
        new("touch", _name, (c, _) => Task.FromResult(Touch(c)), "Creates an empty file or updates its times."),
        new("symlink", [new("name", true), new("target", true)], (c, _) => Task.FromResult(Symlink(c)), "Makes a symlink point at a target."),
        new("append", _name, (c, _) => Task.FromResult(Append(c)), "Appends lines (text) that are not yet in the file."),
        new("replace", [new("name", true), new("pattern", true), new("repl", true)], (c, _) => Task.FromResult(Replace(c)), "Replaces regex matches in a file."),
        new("line", _name, (c, _) => Task.FromResult(Line(c)), "Ensures a line is present, absent or replaced in a file."),
        new("copy", [new("name", true), new("source", true)], (c, _) => Task.FromResult(Copy(c)), "Copies a file on the minion."),
        new("recurse", [new("name", true), new("source", true)], RecurseAsync, "Mirrors a salt:// directory into a directory."),
        .. EditFunctions,
        .. FileComment.Functions,
    ];

    private static StateReturn New(StateCall c) => new() { Name = c.Name, Result = true, Comment = string.Empty };

    private static string? NotAbsolute(StateCall c) =>
        Path.IsPathRooted(c.Name) ? null : $"Specified file {c.Name} is not an absolute path";

    // ---- managed -------------------------------------------------------------------------------------------------------

    private static async Task<StateReturn> ManagedAsync(StateCall c, CancellationToken cancellationToken)
    {
        var ret = New(c);
        if (NotAbsolute(c) is { } bad)
        {
            return StateReturn.Fail(c.Name, bad);
        }
        string? desired;
        try
        {
            desired = await DesiredContentsAsync(c, cancellationToken).ConfigureAwait(false);
        }
        catch (StateFileException e)
        {
            return StateReturn.Fail(c.Name, e.Message);
        }
        var exists = System.IO.File.Exists(c.Name);
        if (System.IO.Directory.Exists(c.Name))
        {
            return StateReturn.Fail(c.Name, $"Specified target {c.Name} is a directory");
        }
        var replace = c.GetBool("replace", true);
        if (exists && !replace)
        {
            desired = null;
        }
        var parent = Path.GetDirectoryName(c.Name)!;
        if (!System.IO.Directory.Exists(parent) && !c.GetBool("makedirs"))
        {
            return StateReturn.Fail(c.Name, "Parent directory not present");
        }
        var current = exists ? await System.IO.File.ReadAllTextAsync(c.Name, cancellationToken).ConfigureAwait(false) : null;
        var contentChange = desired is not null && current != desired;
        if (!exists && desired is null)
        {
            desired = string.Empty;
            contentChange = true;
        }
        var mode = NormalizeMode(c["mode"]);
        var ownership = PendingOwnership(c, exists ? c.Name : null);
        if (c.Test)
        {
            if (!exists)
            {
                ret.Changes["newfile"] = c.Name;
            }
            else if (contentChange)
            {
                ret.Changes["diff"] = UnifiedDiff.Create(current ?? string.Empty, desired!);
            }
            if (exists && mode is not null && CurrentMode(c.Name) != mode)
            {
                ret.Changes["mode"] = mode;
            }
            foreach (var (k, v) in ownership)
            {
                ret.Changes[k] = v;
            }
            if (ret.Changes.Count > 0)
            {
                ret.Result = null;
                ret.Comment = $"The file {c.Name} is set to be changed\nNote: No changes made, actual changes may\nbe different due to other states.";
            }
            else
            {
                ret.Comment = $"The file {c.Name} is in the correct state";
            }
            return ret;
        }
        if (!System.IO.Directory.Exists(parent))
        {
            System.IO.Directory.CreateDirectory(parent);
        }
        if (contentChange)
        {
            if (exists && c.GetString("backup") is "minion" && current is not null)
            {
                var backupDir = Path.Combine(c.Context.CacheDir, "file_backup", parent.TrimStart('/'));
                System.IO.Directory.CreateDirectory(backupDir);
                var stamp = DateTime.UtcNow.ToString("ddd_MMM_dd_HH:mm:ss_ffffff_yyyy", CultureInfo.InvariantCulture);
                System.IO.File.Copy(c.Name, Path.Combine(backupDir, $"{Path.GetFileName(c.Name)}_{stamp}"));
            }
            await System.IO.File.WriteAllTextAsync(c.Name, desired, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            ret.Changes["diff"] = exists ? UnifiedDiff.Create(current ?? string.Empty, desired!) : "New file";
        }
        if (mode is not null && CurrentMode(c.Name) != mode)
        {
            SetMode(c.Name, mode);
            ret.Changes["mode"] = mode;
        }
        if (ApplyOwnership(c, c.Name, ret) is { } ownErr)
        {
            return StateReturn.Fail(c.Name, ownErr);
        }
        ret.Comment = ret.Changes.Count > 0 ? $"File {c.Name} updated" : $"File {c.Name} is in the correct state";
        return ret;
    }

    private static async Task<string?> DesiredContentsAsync(StateCall c, CancellationToken cancellationToken)
    {
        string? text = null;
        string? used = null;
        var fromSource = false;
        if (c.Has("contents_pillar"))
        {
            var key = c.GetString("contents_pillar")!;
            var value = Orchestrator.Minion.Modules.ModuleContext.Traverse(c.Context.Pillar, key)
                ?? throw new StateFileException($"Pillar {key} does not exist");
            text = value is string s ? s : PyText.Str(value);
        }
        else if (c.Has("contents"))
        {
            text = c["contents"] switch
            {
                List<object?> lines => string.Join("\n", lines.Select(PyText.Str)),
                var v => PyText.Str(v),
            };
        }
        else if (c.Has("source"))
        {
            var sources = c.GetList("source")!;
            string? local = null;
            foreach (var source in sources.Select(PyText.Str))
            {
                local = await FetchAsync(c, source, cancellationToken).ConfigureAwait(false);
                if (local is not null)
                {
                    used = source;
                    break;
                }
            }
            if (local is null)
            {
                throw new StateFileException($"Source file {string.Join(", ", sources.Select(PyText.Str))} not found in saltenv '{c.Saltenv}'");
            }
            if (c.GetString("source_hash") is { } expected && !used!.StartsWith("salt://", StringComparison.Ordinal) | true)
            {
                if (c.Has("source_hash"))
                {
                    CheckHash(local, expected);
                }
            }
            text = await System.IO.File.ReadAllTextAsync(local, cancellationToken).ConfigureAwait(false);
            fromSource = true;
        }
        if (text is null)
        {
            return null;
        }
        if (c.GetString("template") is { } template && template.Length > 0)
        {
            if (template != "jinja")
            {
                throw new StateFileException($"Specified template format {template} is not supported");
            }
            var context = FileTemplateContext.Build(c, used);
            try
            {
                text = (c.Renderer ?? IdentityTemplateRenderer.Instance).Render(text, used ?? c.Name, context);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new StateFileException($"Unable to manage file: {e.Message}");
            }
        }
        if (!fromSource && c.GetBool("contents_newline", true) && !text.EndsWith('\n'))
        {
            text += "\n";
        }
        return text;
    }

    private static void CheckHash(string local, string expected)
    {
        var spec = expected.Contains('=', StringComparison.Ordinal) ? expected : (expected.Length switch { 32 => "md5=", 40 => "sha1=", 128 => "sha512=", _ => "sha256=" }) + expected;
        var parts = spec.Split('=', 2);
        var bytes = System.IO.File.ReadAllBytes(local);
        var actual = parts[0].ToLowerInvariant() switch
        {
            "md5" => Convert.ToHexStringLower(MD5.HashData(bytes)),
            "sha1" => Convert.ToHexStringLower(SHA1.HashData(bytes)),
            "sha512" => Convert.ToHexStringLower(SHA512.HashData(bytes)),
            _ => Convert.ToHexStringLower(SHA256.HashData(bytes)),
        };
        if (!actual.Equals(parts[1].Trim(), StringComparison.OrdinalIgnoreCase))
        {
            throw new StateFileException($"Specified {parts[0]} checksum for {local} ({parts[1]}) does not match actual checksum ({actual})");
        }
    }

    private static async Task<string?> FetchAsync(StateCall c, string source, CancellationToken cancellationToken)
    {
        if (source.StartsWith("salt://", StringComparison.Ordinal))
        {
            return c.Context.Files is null ? null : await c.Context.Files.CacheFileAsync(source, c.Saltenv, cancellationToken).ConfigureAwait(false);
        }
        var path = source.StartsWith("file://", StringComparison.Ordinal) ? source[7..] : source;
        return System.IO.File.Exists(path) ? path : null;
    }

    private static string? NormalizeMode(object? mode)
    {
        var text = mode switch
        {
            null => null,
            long l => l.ToString(CultureInfo.InvariantCulture),
            string s => s.Trim(),
            _ => PyText.Str(mode),
        };
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        text = text.TrimStart('0');
        return text.PadLeft(4, '0');
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

    // ---- directory / absent / exists / touch / symlink -------------------------------------------------------------

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

    // ---- content edits -----------------------------------------------------------------------------------------------

    private static StateReturn Append(StateCall c)
    {
        if (NotAbsolute(c) is { } bad)
        {
            return StateReturn.Fail(c.Name, bad);
        }
        var ret = New(c);
        var lines = (c.GetList("text") ?? []).Select(PyText.Str).SelectMany(t => t.Split('\n')).ToList();
        if (!System.IO.File.Exists(c.Name))
        {
            if (!c.GetBool("makedirs") && !System.IO.Directory.Exists(Path.GetDirectoryName(c.Name)!))
            {
                return StateReturn.Fail(c.Name, $"The following files will be changed:\n{c.Name}: Directory does not exist");
            }
            if (c.Test)
            {
                ret.Result = null;
                ret.Comment = $"File {c.Name} is set to be created";
                ret.Changes["new"] = c.Name;
                return ret;
            }
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(c.Name)!);
            System.IO.File.WriteAllText(c.Name, string.Empty);
        }
        var current = System.IO.File.ReadAllText(c.Name);
        var missing = lines.Where(l => !current.Contains(l, StringComparison.Ordinal)).ToList();
        if (missing.Count == 0)
        {
            ret.Comment = "File " + c.Name + " is in correct state";
            return ret;
        }
        var updated = current + (current.Length > 0 && !current.EndsWith('\n') ? "\n" : string.Empty) + string.Join(string.Empty, missing.Select(l => l + "\n"));
        ret.Changes["diff"] = UnifiedDiff.Create(current, updated);
        if (c.Test)
        {
            ret.Result = null;
            ret.Comment = $"File {c.Name} is set to be updated";
            return ret;
        }
        System.IO.File.WriteAllText(c.Name, updated);
        ret.Comment = $"Appended {missing.Count} lines";
        return ret;
    }

    private static StateReturn Replace(StateCall c)
    {
        if (!System.IO.File.Exists(c.Name))
        {
            return StateReturn.Fail(c.Name, $"{c.Name}: file not found");
        }
        var ret = New(c);
        var current = System.IO.File.ReadAllText(c.Name);
        var regex = new Regex(c.GetString("pattern")!, RegexOptions.Multiline);
        var repl = c.GetString("repl")!;
        var count = (int)(c.GetInt("count") ?? 0);
        var updated = count > 0 ? regex.Replace(current, PyRepl(repl), count) : regex.Replace(current, PyRepl(repl));
        if (!regex.IsMatch(current) && c.GetBool("append_if_not_found"))
        {
            updated = current + (current.EndsWith('\n') || current.Length == 0 ? string.Empty : "\n") + (c.GetString("not_found_content") ?? repl) + "\n";
        }
        return WriteEdit(c, ret, current, updated, testComment: "Changes would have been made");
    }

    private static string PyRepl(string repl) => Regex.Replace(repl.Replace("$", "$$", StringComparison.Ordinal), @"\\(\d)", "$${$1}");

    private static StateReturn Line(StateCall c)
    {
        if (!System.IO.File.Exists(c.Name))
        {
            if (!c.GetBool("create"))
            {
                return StateReturn.Fail(c.Name, $"{c.Name}: file not found");
            }
            if (!c.Test)
            {
                System.IO.File.WriteAllText(c.Name, string.Empty);
            }
        }
        var ret = New(c);
        var current = System.IO.File.Exists(c.Name) ? System.IO.File.ReadAllText(c.Name) : string.Empty;
        var lines = current.Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }
        var content = c.GetString("content") ?? string.Empty;
        var match = c.GetString("match") ?? content;
        var mode = c.GetString("mode") ?? string.Empty;
        var matcher = new Regex(match);
        switch (mode)
        {
            case "ensure":
            case "replace":
                for (var i = 0; i < lines.Count; i++)
                {
                    if (matcher.IsMatch(lines[i]))
                    {
                        lines[i] = content;
                    }
                }
                break;
            case "delete":
                lines.RemoveAll(l => matcher.IsMatch(l));
                break;
            case "insert":
                if (!lines.Contains(content))
                {
                    if (c.GetString("location") == "start" || c.GetBool("before") && false)
                    {
                        lines.Insert(0, content);
                    }
                    else if (c.GetString("after") is { } after && lines.FindIndex(l => new Regex(after).IsMatch(l)) is var ai and >= 0)
                    {
                        lines.Insert(ai + 1, content);
                    }
                    else if (c.GetString("before") is { } before && lines.FindIndex(l => new Regex(before).IsMatch(l)) is var bi and >= 0)
                    {
                        lines.Insert(bi, content);
                    }
                    else
                    {
                        lines.Add(content);
                    }
                }
                break;
            default:
                return StateReturn.Fail(c.Name, "Mode was not defined. How to process the file?");
        }
        var updated = lines.Count == 0 ? string.Empty : string.Join('\n', lines) + "\n";
        return WriteEdit(c, ret, current, updated, testComment: "Changes would be made");
    }

    // The end of file.replace and file.line: no-op, test-mode report (Salt words it differently for each) or write-back.
    private static StateReturn WriteEdit(StateCall c, StateReturn ret, string current, string updated, string testComment)
    {
        if (updated == current)
        {
            ret.Comment = "No changes needed to be made";
            return ret;
        }
        ret.Changes["diff"] = UnifiedDiff.Create(current, updated);
        if (c.Test)
        {
            ret.Result = null;
            ret.Comment = testComment;
            return ret;
        }
        System.IO.File.WriteAllText(c.Name, updated);
        ret.Comment = "Changes were made";
        return ret;
    }

    private static StateReturn Copy(StateCall c)
    {
        var source = c.GetString("source")!;
        var ret = New(c);
        if (!System.IO.File.Exists(source))
        {
            return StateReturn.Fail(c.Name, $"Source file \"{source}\" is not present");
        }
        var force = c.GetBool("force");
        if (System.IO.File.Exists(c.Name) && (!force || System.IO.File.ReadAllBytes(c.Name).SequenceEqual(System.IO.File.ReadAllBytes(source))))
        {
            ret.Comment = $"The target file \"{c.Name}\" exists and will not be overwritten";
            return ret;
        }
        if (c.Test)
        {
            ret.Result = null;
            ret.Comment = $"File \"{source}\" is set to be copied to \"{c.Name}\"";
            ret.Changes[c.Name] = source;
            return ret;
        }
        if (!System.IO.Directory.Exists(Path.GetDirectoryName(c.Name)!))
        {
            if (!c.GetBool("makedirs"))
            {
                return StateReturn.Fail(c.Name, $"The target directory {Path.GetDirectoryName(c.Name)} is not present");
            }
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(c.Name)!);
        }
        System.IO.File.Copy(source, c.Name, overwrite: true);
        ret.Changes[c.Name] = source;
        ret.Comment = $"Copied \"{source}\" to \"{c.Name}\"";
        return ret;
    }

    private static async Task<StateReturn> RecurseAsync(StateCall c, CancellationToken cancellationToken)
    {
        var source = c.GetString("source")!.TrimEnd('/');
        if (!source.StartsWith("salt://", StringComparison.Ordinal) || c.Context.Files is null)
        {
            return StateReturn.Fail(c.Name, "Recurse failed: source must be a salt:// URL");
        }
        var prefix = source["salt://".Length..].Trim('/') + "/";
        var files = await c.Context.Files.ListFilesAsync(c.Saltenv, cancellationToken).ConfigureAwait(false);
        var ret = New(c);
        var matched = files.Where(f => f.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        if (matched.Count == 0)
        {
            return StateReturn.Fail(c.Name, $"Recurse failed: none of the specified sources were found");
        }
        foreach (var file in matched)
        {
            var relative = file[prefix.Length..];
            var target = Path.Combine(c.Name, relative);
            var local = await c.Context.Files.CacheFileAsync("salt://" + file, c.Saltenv, cancellationToken).ConfigureAwait(false);
            if (local is null)
            {
                continue;
            }
            var desired = await System.IO.File.ReadAllBytesAsync(local, cancellationToken).ConfigureAwait(false);
            var exists = System.IO.File.Exists(target);
            if (exists && (await System.IO.File.ReadAllBytesAsync(target, cancellationToken).ConfigureAwait(false)).SequenceEqual(desired))
            {
                continue;
            }
            ret.Changes[target] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["diff"] = exists ? "Replace binary file" : "New file" };
            if (!c.Test)
            {
                System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await System.IO.File.WriteAllBytesAsync(target, desired, cancellationToken).ConfigureAwait(false);
            }
        }
        if (c.Test && ret.Changes.Count > 0)
        {
            ret.Result = null;
            ret.Comment = $"The directory {c.Name} is set to be changed";
        }
        else
        {
            ret.Comment = ret.Changes.Count > 0 ? $"Recursively updated {c.Name}" : $"The directory {c.Name} is in the correct state";
        }
        return ret;
    }

    private sealed class StateFileException(string message) : Exception(message);
}

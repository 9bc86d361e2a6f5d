using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering;

namespace Orchestrator.Minion.Modules.States;

// file.managed: the desired contents (source, contents, template) and writing them, in Salt's order of checks.
public sealed partial class FileState
{
    private static async Task<StateReturn> ManagedAsync(StateCall c, CancellationToken cancellationToken)
    {
        var ret = New(c);
        if (ManagedArgumentError(c) is { } argError)
        {
            return StateReturn.Fail(c.Name, argError);
        }
        try
        {
            // Salt checks the contents arguments first; the source is fetched only after the checks below.
            ManagedContents(c);
        }
        catch (StateFileException e)
        {
            return StateReturn.Fail(c.Name, e.Message);
        }
        if (ManagedPreflight(c) is { } early)
        {
            return early;
        }
        var exists = System.IO.File.Exists(c.Name);
        // Without source or contents there is nothing to replace the file with: only its permissions are managed.
        var replace = c.GetBool("replace", true) && (c.Has("source") || ContentsCount(c) > 0);
        if (exists && !replace)
        {
            return PermissionsOnly(c, ret);
        }
        var plan = new ManagedPlan();
        string? desired;
        try
        {
            desired = await DesiredContentsAsync(c, plan, cancellationToken).ConfigureAwait(false);
        }
        catch (StateFileException e)
        {
            return StateReturn.Fail(c.Name, e.Message);
        }
        var current = exists ? await System.IO.File.ReadAllTextAsync(c.Name, cancellationToken).ConfigureAwait(false) : null;
        var contentChange = desired is not null && current != desired;
        if (!exists && desired is null)
        {
            desired = string.Empty;
            contentChange = true;
        }
        if (c.Test)
        {
            return ManagedTest(c, ret, plan, exists, current, desired!, contentChange);
        }
        return await WriteManagedAsync(c, ret, exists, current, desired!, contentChange, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<StateReturn> WriteManagedAsync(StateCall c, StateReturn ret, bool exists, string? current, string desired, bool contentChange, CancellationToken cancellationToken)
    {
        var parent = Path.GetDirectoryName(c.Name)!;
        if (!System.IO.Directory.Exists(parent))
        {
            if (!c.GetBool("makedirs"))
            {
                return StateReturn.Fail(c.Name, "Parent directory not present");
            }
            System.IO.Directory.CreateDirectory(parent);
        }
        if (contentChange && c.Low.GetValueOrDefault("check_cmd") is { } checkCmd)
        {
            var failed = await RunManagedCheckCmdAsync(c, PyText.Str(checkCmd), current, desired, cancellationToken).ConfigureAwait(false);
            if (failed is not null)
            {
                return failed;
            }
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
            ret.Changes["diff"] = exists ? UnifiedDiff.Create(current ?? string.Empty, desired) : "New file";
        }
        var mode = NormalizeMode(c["mode"]);
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

    // Salt's checks between building the contents and comparing them: create, user/group (not in a test run), the
    // path, context and defaults.
    private static StateReturn? ManagedPreflight(StateCall c)
    {
        if (!c.GetBool("create", true) && !System.IO.File.Exists(c.Name))
        {
            return StateReturn.Ok(c.Name, $"File {c.Name} is not present and is not set for creation");
        }
        if (!c.Test && CheckUser(c.GetString("user"), c.GetString("group")) is { } userError)
        {
            return StateReturn.Fail(c.Name, userError);
        }
        if (NotAbsolute(c) is { } bad)
        {
            return StateReturn.Fail(c.Name, bad);
        }
        if (System.IO.Directory.Exists(c.Name))
        {
            return StateReturn.Fail(c.Name, $"Specified target {c.Name} is a directory");
        }
        if (c["context"] is not null and not Dictionary<string, object?>)
        {
            return StateReturn.Fail(c.Name, "Context must be formed as a dict");
        }
        if (DataTree.IsTruthy(c["defaults"]) && c["defaults"] is not Dictionary<string, object?>)
        {
            return StateReturn.Fail(c.Name, "Defaults must be formed as a dict");
        }
        return null;
    }

    private static int ContentsCount(StateCall c) => new[] { "contents", "contents_pillar", "contents_grains" }.Count(c.Has);

    private static string? ManagedArgumentError(StateCall c)
    {
        var count = ContentsCount(c);
        if (c.Has("source") && count > 0)
        {
            return "'source' cannot be used in combination with 'contents', 'contents_pillar', or 'contents_grains'";
        }
        return count > 1 ? "Only one of 'contents', 'contents_pillar', and 'contents_grains' is permitted" : null;
    }

    // Salt's check_managed_changes/check_file_meta: a missing file is only "newfile" (its parent directory does not
    // matter in test mode), an existing one reports its diff, owner and mode.
    private static StateReturn ManagedTest(StateCall c, StateReturn ret, ManagedPlan plan, bool exists, string? current, string desired, bool contentChange)
    {
        if (!exists)
        {
            ret.Changes["newfile"] = c.Name;
        }
        else if (plan.RemoteNotFetched)
        {
            if (plan.RemoteHash is not { } hash || !HashMatches(c.Name, hash))
            {
                ret.Changes["sum"] = "Checksum differs";
            }
        }
        else if (contentChange)
        {
            ret.Changes["diff"] = UnifiedDiff.Create(current ?? string.Empty, desired);
        }
        if (exists)
        {
            foreach (var (k, v) in PendingOwnership(c, c.Name))
            {
                ret.Changes[k] = v;
            }
            if (NormalizeMode(c["mode"]) is { } mode && CurrentMode(c.Name) != mode)
            {
                ret.Changes["mode"] = mode;
            }
        }
        if (ret.Changes.Count > 0)
        {
            ret.Result = null;
            ret.Comment = $"The file {c.Name} is set to be changed\nNote: No changes made, actual changes may\nbe different due to other states.";
            if (ret.Changes.ContainsKey("diff") && !c.GetBool("show_changes", true))
            {
                ret.Changes["diff"] = "<show_changes=False>";
            }
        }
        else
        {
            ret.Comment = $"The file {c.Name} is in the correct state";
        }
        return ret;
    }

    // replace: False on an existing file (Salt's check_perms branch of file.managed).
    private static StateReturn PermissionsOnly(StateCall c, StateReturn ret)
    {
        var mode = NormalizeMode(c["mode"]);
        var currentMode = CurrentMode(c.Name);
        if (c.Test)
        {
            foreach (var (k, v) in PendingOwnership(c, c.Name))
            {
                ret.Changes[k] = v;
            }
            if (mode is not null && currentMode != mode)
            {
                ret.Changes["mode"] = mode;
            }
            ret.Result = ret.Changes.Count > 0 ? null : true;
            ret.Comment = mode is not null && currentMode != mode
                ? $"File {c.Name} will be updated with permissions {mode} from its current state of {currentMode}"
                : $"File {c.Name} not updated";
            return ret;
        }
        if (mode is not null && currentMode != mode)
        {
            SetMode(c.Name, mode);
            ret.Changes["mode"] = mode;
        }
        if (ApplyOwnership(c, c.Name, ret) is { } ownErr)
        {
            return StateReturn.Fail(c.Name, ownErr);
        }
        if (ret.Changes.Count == 0)
        {
            ret.Comment = $"File {c.Name} exists with proper permissions. No changes made.";
        }
        return ret;
    }

    // file.managed's own check_cmd (Salt's mod_run_check_cmd): the new contents go to a temporary file first, and the
    // command, given that file as its last argument, must succeed before the real file is written.
    private static async Task<StateReturn?> RunManagedCheckCmdAsync(StateCall c, string command, string? current, string desired, CancellationToken cancellationToken)
    {
        var tmpDir = c.GetString("tmp_dir") is { Length: > 0 } dir ? dir : Path.GetTempPath();
        var tmp = Path.Combine(tmpDir, "__salt.tmp." + Path.GetRandomFileName() + (c.GetString("tmp_ext") ?? string.Empty));
        try
        {
            if (current is not null)
            {
                System.IO.File.Copy(c.Name, tmp, overwrite: true);
            }
            await System.IO.File.WriteAllTextAsync(tmp, desired, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            var (code, stdout, stderr) = await StateInvoke.ShellAsync(c, command + " " + tmp, cancellationToken).ConfigureAwait(false);
            if (code == 0)
            {
                return null;
            }
            var comment = "check_cmd execution failed";
            comment += stdout.Length > 0 ? "\n" + stdout.TrimEnd('\n') : string.Empty;
            comment += stderr.Length > 0 ? "\n" + stderr.TrimEnd('\n') : string.Empty;
            var failed = StateReturn.Fail(c.Name, comment);
            failed.Extra["skip_watch"] = true;
            return failed;
        }
        finally
        {
            System.IO.File.Delete(tmp);
        }
    }

    private static async Task<string?> DesiredContentsAsync(StateCall c, ManagedPlan plan, CancellationToken cancellationToken)
    {
        string? text = ManagedContents(c);
        if (text is null && c.Has("source"))
        {
            var local = await ResolveSourceAsync(c, plan, cancellationToken).ConfigureAwait(false);
            if (local is null)
            {
                return null;
            }
            text = await System.IO.File.ReadAllTextAsync(local, cancellationToken).ConfigureAwait(false);
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
            var context = FileTemplateContext.Build(c, plan.Source, ExtraTemplateArgs(c));
            try
            {
                text = (c.Renderer ?? IdentityTemplateRenderer.Instance).Render(text, plan.Source ?? c.Name, context);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new StateFileException(TemplateErrorComment(e, text, c.Test) ?? $"Unable to manage file: {e.Message}");
            }
        }
        return text;
    }

    private static readonly HashSet<string> _managedParameters =
    [
        "name", "source", "source_hash", "source_hash_name", "keep_source", "user", "group", "mode", "attrs", "template",
        "makedirs", "dir_mode", "context", "replace", "defaults", "backup", "show_changes", "create", "contents", "tmp_dir",
        "tmp_ext", "contents_pillar", "contents_grains", "contents_newline", "contents_delimiter", "encoding",
        "encoding_errors", "allow_empty", "follow_symlinks", "check_cmd", "skip_verify", "selinux", "win_owner", "win_perms",
        "win_deny_perms", "win_inheritance", "win_perms_reset", "verify_ssl", "use_etag",
    ];

    // Salt hands the state's arguments that are not file.managed parameters (its **kwargs) to the template as
    // variables, under context and defaults: an argument mapping with several keys ("- context:" followed by a
    // sibling key) works through this.
    private static Dictionary<string, object?> ExtraTemplateArgs(StateCall c)
    {
        var extra = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in c.Args)
        {
            if (!_managedParameters.Contains(k) && !k.StartsWith("__", StringComparison.Ordinal))
            {
                extra[k] = v;
            }
        }
        return extra;
    }

    // contents / contents_pillar / contents_grains as Salt builds them: every line of every part ends in a newline
    // (contents_newline: False strips the last one); a list gives one part per item.
    private static string? ManagedContents(StateCall c)
    {
        object? use;
        if (c.Has("contents_pillar"))
        {
            use = JoinLookups(c, c["contents_pillar"], c.Context.Pillar, "Pillar");
        }
        else if (c.Has("contents_grains"))
        {
            use = JoinLookups(c, c["contents_grains"], c.Context.Grains, "Grain");
        }
        else if (c.Has("contents"))
        {
            use = c["contents"];
        }
        else
        {
            return null;
        }
        if (!c.GetBool("allow_empty", true) && !DataTree.IsTruthy(use))
        {
            var id = c.Has("contents_pillar") ? $"contents_pillar {PyText.Str(c["contents_pillar"])}"
                : c.Has("contents_grains") ? $"contents_grains {PyText.Str(c["contents_grains"])}" : "'contents'";
            throw new StateFileException($"{id} value would result in empty contents. Set allow_empty to True to allow the managed file to be empty.");
        }
        List<string> parts = use switch
        {
            string s => [s],
            List<object?> list => list.Select(PyText.Str).ToList(),
            _ => [PyText.Str(use)],
        };
        if (parts.Count == 0)
        {
            throw new StateFileException("Contents specified by contents/contents_pillar/contents_grains is not a string or list of strings, and is not binary data. SLS is likely malformed.");
        }
        var text = new StringBuilder();
        foreach (var line in parts.SelectMany(PyText.SplitLines))
        {
            text.Append(line).Append('\n');
        }
        var result = text.ToString();
        return c.GetBool("contents_newline", true) ? result : result.TrimEnd('\n').TrimEnd('\r');
    }

    private static object? JoinLookups(StateCall c, object? keys, object? tree, string what)
    {
        var delimiter = c.GetString("contents_delimiter") ?? ":";
        object? Lookup(string key) =>
            ModuleContext.Traverse(tree, delimiter == ":" ? key : key.Replace(delimiter, ":", StringComparison.Ordinal))
                ?? throw new StateFileException($"{what} {key} does not exist");
        if (keys is List<object?> list)
        {
            return string.Join("\n", list.Select(k => PyText.Str(Lookup(PyText.Str(k)))));
        }
        return Lookup(PyText.Str(keys));
    }

    private static void CheckHash(string name, string local, string expected)
    {
        var (type, hash) = ParseHash(expected);
        var actual = FileHash(local, type);
        if (!actual.Equals(hash, StringComparison.OrdinalIgnoreCase))
        {
            throw new StateFileException($"Specified {type} checksum for {name} ({hash}) does not match actual checksum ({actual})");
        }
    }

    private static (string Type, string Hash) ParseHash(string expected)
    {
        var spec = expected.Contains('=', StringComparison.Ordinal) ? expected : (expected.Trim().Length switch { 32 => "md5=", 40 => "sha1=", 128 => "sha512=", _ => "sha256=" }) + expected;
        var parts = spec.Split('=', 2);
        return (parts[0].Trim().ToLowerInvariant(), parts[1].Trim());
    }

    private static string FileHash(string path, string type)
    {
        var bytes = System.IO.File.ReadAllBytes(path);
        return type switch
        {
            "md5" => Convert.ToHexStringLower(MD5.HashData(bytes)),
            "sha1" => Convert.ToHexStringLower(SHA1.HashData(bytes)),
            "sha512" => Convert.ToHexStringLower(SHA512.HashData(bytes)),
            _ => Convert.ToHexStringLower(SHA256.HashData(bytes)),
        };
    }

    private static bool HashMatches(string path, string expected)
    {
        var (type, hash) = ParseHash(expected);
        return FileHash(path, type).Equals(hash, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>What file.managed learnt about its source on the way (a remote source is not fetched in test mode).</summary>
    private sealed class ManagedPlan
    {
        public bool RemoteNotFetched { get; set; }

        public string? RemoteHash { get; set; }

        /// <summary>The source chosen (the first that exists of a list): a template sees it as <c>source</c>.</summary>
        public string? Source { get; set; }
    }
}

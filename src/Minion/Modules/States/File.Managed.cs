using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering;

namespace Orchestrator.Minion.Modules.States;

// file.managed: the desired contents (source, contents, template) and writing them.
public sealed partial class FileState
{
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
            string? used = null;
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
            var context = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (k, v) in c.GetMap("defaults") ?? [])
            {
                context[k] = v;
            }
            foreach (var (k, v) in c.GetMap("context") ?? [])
            {
                context[k] = v;
            }
            context["pillar"] = c.Context.Pillar;
            context["grains"] = c.Context.Grains;
            context["opts"] = c.Context.Opts;
            context["saltenv"] = c.Saltenv;
            context["source"] = c.GetString("source");
            context["__module_context__"] = c.Context;
            try
            {
                text = (c.Renderer ?? IdentityTemplateRenderer.Instance).Render(text, c.GetString("source") ?? c.Name, context);
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
}

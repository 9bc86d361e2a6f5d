using System.Text.RegularExpressions;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>ssh_auth</c> states: keys in a user's authorized_keys, given inline (name) or as a key file (source).</summary>
[StateModule("ssh_auth")]
public sealed partial class SshAuthState : IStateModule
{
    private static readonly FunctionParameter[] _params = [FunctionParameter.Req("name"), FunctionParameter.Req("user")];

    public string Doc => "Control of entries in SSH authorized_key files.";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("present", _params, SaltExceptionText.Guard(PresentAsync),
            "Verifies that the specified SSH key is present for the specified user.\n\nname: the key, or a whole line " +
            "'[options] enc key [comment]'; user: whose authorized_keys; enc (default ssh-rsa: rsa, dsa, ecdsa, ed25519 and their " +
            "full names); comment; source: a file of keys on the file server (salt://...) instead of name; options: a list of key " +
            "options; config (default .ssh/authorized_keys, relative to the home directory, %h and %u expanded); " +
            "fingerprint_hash_type (default sha256). Test mode reports whether the key would be added or updated."),
        new("absent", _params, SaltExceptionText.Guard(AbsentAsync),
            "Verifies that the specified SSH key is absent.\n\nname: the key or a whole key line; user; enc; comment; source: a " +
            "file of keys to remove (salt://...); options; config (default .ssh/authorized_keys); fingerprint_hash_type."),
    ];

    [GeneratedRegex(@"^(sk-)?(ssh\-|ecds).*")]
    private static partial Regex KeyLineRegex();

    private sealed record KeySpec(string Name, string Enc, string Comment, List<object?> Options);

    /// <summary>The state's split of name into options, enc, key and comment; <paramref name="max"/> mirrors Salt's split counts.</summary>
    private static KeySpec Split(StateCall c, bool limitComment)
    {
        var name = c.Name;
        var enc = c.GetString("enc") ?? "ssh-rsa";
        var comment = c.GetString("comment") ?? string.Empty;
        var options = c.GetList("options") ?? [];
        var full = Orchestrator.Minion.Modules.Execution.SshKeys.FullKeyRegex().Match(name);
        if (!full.Success)
        {
            var parts = limitComment ? name.Trim().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries) : Words(name);
            name = parts.Length > 0 ? parts[0] : string.Empty;
            if (parts.Length == 2)
            {
                comment = parts[1];
            }
        }
        else
        {
            if (full.Groups[1].Value.Length > 0)
            {
                options = full.Groups[1].Value.Split(',').Cast<object?>().ToList();
            }
            var comps = limitComment ? full.Groups[2].Value.Trim().Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries) : Words(full.Groups[2].Value);
            enc = comps[0];
            name = comps[1];
            if (comps.Length == 3)
            {
                comment = comps[2];
            }
        }
        return new KeySpec(name, enc, comment, options);
    }

    private static string[] Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static Dictionary<string, object?> Kw(StateCall c, params (string Key, object? Value)[] extra)
    {
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["config"] = c.GetString("config") ?? ".ssh/authorized_keys",
            ["fingerprint_hash_type"] = c.GetString("fingerprint_hash_type"),
        };
        foreach (var (key, value) in extra)
        {
            kwargs[key] = value;
        }
        return kwargs;
    }

    private static async Task<(bool? Result, string Comment)> TestAsync(StateCall c, string user, KeySpec spec, bool present, CancellationToken ct)
    {
        var source = c.GetString("source") ?? string.Empty;
        if (source.Length > 0)
        {
            var result = await c.InvokeAsync("ssh.check_key_file", [user, source], Kw(c, ("saltenv", c.Saltenv)), ct).ConfigureAwait(false);
            if (!result.Success && result.Return is string error)
            {
                return (false, error);
            }
            if (result.Return is Dictionary<string, object?> { Count: > 0 } keys)
            {
                var comment = string.Concat(keys
                    .Where(k => present ? PyText.Str(k.Value) != "exists" : PyText.Str(k.Value) != "add")
                    .Select(k => present ? $"Set to {PyText.Str(k.Value)}: {k.Key}\n" : $"Set to remove: {k.Key}\n"));
                if (comment.Length > 0)
                {
                    return (null, comment);
                }
            }
            return (true, $"All host keys in file {source} are already {(present ? "present" : "absent")}");
        }
        var check = PyText.Str(await StateInvoke.CallAsync(c, "ssh.check_key", [user, spec.Name, spec.Enc, spec.Comment, spec.Options],
            Kw(c), ct).ConfigureAwait(false));
        if (present)
        {
            return check switch
            {
                "update" => (null, $"Key {spec.Name} for user {user} is set to be updated"),
                "add" => (null, $"Key {spec.Name} for user {user} is set to be added"),
                "exists" => (true, $"The authorized host key {spec.Name} is already present for user {user}"),
                _ => (null, spec.Comment),
            };
        }
        return check is "update" or "exists"
            ? (null, $"Key {spec.Name} for user {user} is set for removal")
            : (true, "Key is already absent");
    }

    private static async Task<string?> SourceTextAsync(StateCall c, string source, CancellationToken ct)
    {
        string? local;
        if (source.StartsWith("salt://", StringComparison.Ordinal))
        {
            local = c.Context.Files is null ? null : await c.Context.Files.CacheFileAsync(source, c.Saltenv, ct).ConfigureAwait(false);
        }
        else
        {
            local = source.StartsWith("file://", StringComparison.Ordinal) ? source[7..] : source;
        }
        return local is not null && File.Exists(local) ? await File.ReadAllTextAsync(local, ct).ConfigureAwait(false) : null;
    }

    private static async Task<StateReturn> PresentAsync(StateCall c, CancellationToken ct)
    {
        var user = c.GetString("user")!;
        var source = c.GetString("source") ?? string.Empty;
        var spec = source.Length == 0 ? Split(c, limitComment: true) : new KeySpec(c.Name, c.GetString("enc") ?? "ssh-rsa", c.GetString("comment") ?? string.Empty, c.GetList("options") ?? []);
        var ret = new StateReturn { Name = c.Name, Result = true, Comment = string.Empty };
        if (c.Test)
        {
            var test = source.Length == 0 ? Split(c, limitComment: false) : spec;
            (ret.Result, var comment) = await TestAsync(c, user, test, present: true, ct).ConfigureAwait(false);
            ret.Comment = comment;
            return ret;
        }
        string data;
        if (source.Length > 0)
        {
            var text = await SourceTextAsync(c, source, ct).ConfigureAwait(false);
            data = "no key";
            foreach (var line in (text ?? string.Empty).TrimEnd().Split('\n'))
            {
                if (text is null)
                {
                    break;
                }
                if (!KeyLineRegex().IsMatch(line))
                {
                    data = PyText.Str(await StateInvoke.CallAsync(c, "ssh.set_auth_key_from_file", [user, source], Kw(c, ("saltenv", c.Saltenv)), ct).ConfigureAwait(false));
                }
                else
                {
                    var parts = line.Split(' ');
                    data = PyText.Str(await StateInvoke.CallAsync(c, "ssh.set_auth_key", [user, parts[1]],
                        Kw(c, ("enc", parts[0]), ("comment", parts.Length > 2 ? parts[2] : string.Empty), ("options", spec.Options)), ct).ConfigureAwait(false));
                }
            }
        }
        else
        {
            data = PyText.Str(await StateInvoke.CallAsync(c, "ssh.set_auth_key", [user, spec.Name],
                Kw(c, ("enc", spec.Enc), ("comment", spec.Comment), ("options", spec.Options)), ct).ConfigureAwait(false));
        }
        var name = spec.Name;
        switch (data)
        {
            case "replace":
                ret.Changes[name] = "Updated";
                ret.Comment = $"The authorized host key {name} for user {user} was updated";
                break;
            case "no change":
                ret.Comment = $"The authorized host key {name} is already present for user {user}";
                break;
            case "new":
                ret.Changes[name] = "New";
                ret.Comment = $"The authorized host key {name} for user {user} was added";
                break;
            case "no key":
                ret.Result = false;
                ret.Comment = $"Failed to add the ssh key. Source file {source} is missing";
                break;
            case "fail":
                ret.Result = false;
                ret.Comment = source.Length > 0
                    ? $"No keys detected in {source}. Is file properly formatted?"
                    : "Failed to add the ssh key. Is the home directory available, and/or does the key file exist?";
                break;
            case "invalid" or "Invalid public key":
                ret.Result = false;
                ret.Comment = "Invalid public ssh key, most likely has spaces or invalid syntax";
                break;
        }
        return ret;
    }

    private static async Task<StateReturn> AbsentAsync(StateCall c, CancellationToken ct)
    {
        var user = c.GetString("user")!;
        var source = c.GetString("source") ?? string.Empty;
        var ret = new StateReturn { Name = c.Name, Result = true, Comment = string.Empty };
        if (c.Test)
        {
            var test = source.Length == 0 ? Split(c, limitComment: false) : new KeySpec(c.Name, c.GetString("enc") ?? "ssh-rsa", c.GetString("comment") ?? string.Empty, c.GetList("options") ?? []);
            (ret.Result, var comment) = await TestAsync(c, user, test, present: false, ct).ConfigureAwait(false);
            ret.Comment = comment;
            return ret;
        }
        var name = c.Name;
        if (source.Length > 0)
        {
            var text = await SourceTextAsync(c, source, ct).ConfigureAwait(false)
                ?? throw new StateCallException("Failed to pull key file from salt file server");
            foreach (var line in text.TrimEnd().Split('\n'))
            {
                ret.Comment = !KeyLineRegex().IsMatch(line)
                    ? PyText.Str(await StateInvoke.CallAsync(c, "ssh.rm_auth_key_from_file", [user, source], Kw(c, ("saltenv", c.Saltenv)), ct).ConfigureAwait(false))
                    : PyText.Str(await StateInvoke.CallAsync(c, "ssh.rm_auth_key", [user, line.Split(' ')[1]], Kw(c), ct).ConfigureAwait(false));
            }
        }
        else
        {
            name = Split(c, limitComment: true).Name;
            ret.Comment = PyText.Str(await StateInvoke.CallAsync(c, "ssh.rm_auth_key", [user, name], Kw(c), ct).ConfigureAwait(false));
        }
        if (PyText.Str(ret.Comment) == "User authorized keys file not present")
        {
            ret.Result = false;
        }
        else if (PyText.Str(ret.Comment) == "Key removed")
        {
            ret.Changes[name] = "Removed";
        }
        return ret;
    }
}

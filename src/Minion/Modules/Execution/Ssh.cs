using Orchestrator.Minion.Modules.Providers;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>
/// Salt's <c>ssh</c> execution module: a user's authorized_keys (read, check, add, remove keys, also from a key file on the
/// file server) and known_hosts files (through <c>ssh-keygen</c>, as Salt does; <c>ssh-keyscan</c> only when no key is given).
/// </summary>
[ExecutionModule("ssh")]
public sealed class SshModule : IExecutionModule
{
    private const string AuthorizedKeys = ".ssh/authorized_keys";

    private readonly IProcessRunner _runner;
    private readonly IAccountDatabase _accounts;
    private readonly SshKnownHosts _knownHosts;

    public SshModule(IProcessRunner runner, IAccountDatabase accounts)
    {
        _runner = runner;
        _accounts = accounts;
        _knownHosts = new SshKnownHosts(runner, accounts);
        FunctionParameter[] keyArgs = [Req("user"), Req("key"), Opt("enc", "ssh-rsa"), Opt("comment", ""), Opt("options"), Opt("config", AuthorizedKeys)];
        Functions =
        [
            new("auth_keys", "Return the authorized keys of a user (or of every user, or of a list of users) as {key: {enc, comment, " +
                "options, fingerprint}}. config is relative to the home directory unless absolute (%u and %h are expanded).\n\n" +
                "CLI Example: orch '*' ssh.auth_keys root",
                [Opt("user"), Opt("config", AuthorizedKeys), Opt("fingerprint_hash_type")], AuthKeys),
            new("check_key", "Check whether a key is in a user's authorized_keys: 'add' (absent), 'update' (present with another enc, " +
                "comment or options) or 'exists'.\n\nCLI Example: orch '*' ssh.check_key root AAAA... ssh-rsa '' ''",
                [Req("user"), Req("key"), Req("enc"), Req("comment"), Req("options"), Opt("config", AuthorizedKeys), Opt("cache_keys"),
                 Opt("fingerprint_hash_type")], CheckKey),
            new("check_key_file", "Check every key of a key file on the file server against a user's authorized_keys: {key: status}.\n\n" +
                "CLI Example: orch '*' ssh.check_key_file root salt://ssh/keyfile",
                [Req("user"), Req("source"), Opt("config", AuthorizedKeys), Opt("saltenv", "base"), Opt("fingerprint_hash_type")], CheckKeyFileAsync),
            new("check_known_host", "Check a host's key (or fingerprint) in a known_hosts file: 'add', 'update' or 'exists'.\n\n" +
                "CLI Example: orch '*' ssh.check_known_host root github.com fingerprint=16:27:ac:...",
                [Opt("user"), Opt("hostname"), Opt("key"), Opt("fingerprint"), Opt("config"), Opt("port"), Opt("fingerprint_hash_type")],
                _knownHosts.CheckAsync),
            new("get_known_host_entries", "Return the known_hosts entries of a host as a list of {hostname, enc, key, fingerprint}, or " +
                "None.\n\nCLI Example: orch '*' ssh.get_known_host_entries root github.com",
                [Req("user"), Req("hostname"), Opt("config"), Opt("port"), Opt("fingerprint_hash_type")], _knownHosts.GetEntriesAsync),
            new("hash_known_hosts", "Hash the host names of a known_hosts file (ssh-keygen -H).\n\nCLI Example: orch '*' ssh.hash_known_hosts",
                [Opt("user"), Opt("config")], _knownHosts.HashAsync),
            new("recv_known_host_entries", "Ask a host for its public keys with ssh-keyscan; a list of {hostname, enc, key, fingerprint} " +
                "or None.\n\nCLI Example: orch '*' ssh.recv_known_host_entries github.com",
                [Req("hostname"), Opt("enc"), Opt("port"), Opt("hash_known_hosts", true), Opt("timeout", 5L), Opt("fingerprint_hash_type")],
                _knownHosts.ReceiveAsync),
            new("rm_auth_key", "Remove a key from a user's authorized_keys: 'Key removed', 'Key not present' or 'Key not removed'.\n\n" +
                "CLI Example: orch '*' ssh.rm_auth_key root AAAA...",
                [Req("user"), Req("key"), Opt("config", AuthorizedKeys), Opt("fingerprint_hash_type")], RmAuthKey),
            new("rm_auth_key_from_file", "Remove every key of a key file on the file server from a user's authorized_keys.\n\n" +
                "CLI Example: orch '*' ssh.rm_auth_key_from_file root salt://ssh_keys/thatch.id_rsa.pub",
                [Req("user"), Req("source"), Opt("config", AuthorizedKeys), Opt("saltenv", "base"), Opt("fingerprint_hash_type")], RmAuthKeyFromFileAsync),
            new("rm_known_host", "Remove all keys of a host from a known_hosts file (ssh-keygen -R).\n\nCLI Example: orch '*' ssh.rm_known_host root github.com",
                [Opt("user"), Opt("hostname"), Opt("config"), Opt("port")], _knownHosts.RemoveAsync),
            new("set_auth_key", "Add a key to a user's authorized_keys or update its line: 'new', 'replace', 'no change', 'fail', " +
                "'invalid' (a key with spaces) or 'Invalid public key' (not base64). The .ssh directory and file are created owned by the user.\n\n" +
                "CLI Example: orch '*' ssh.set_auth_key root AAAA... enc=ssh-rsa comment=me@host",
                [.. keyArgs, Opt("cache_keys"), Opt("fingerprint_hash_type")], SetAuthKeyAsync),
            new("set_auth_key_from_file", "Add every key of a key file on the file server to a user's authorized_keys.\n\n" +
                "CLI Example: orch '*' ssh.set_auth_key_from_file root salt://ssh_keys/thatch.id_rsa.pub",
                [Req("user"), Req("source"), Opt("config", AuthorizedKeys), Opt("saltenv", "base"), Opt("fingerprint_hash_type")], SetAuthKeyFromFileAsync),
            new("set_known_host", "Add a host's key to a known_hosts file, or replace the stored one of the same type; without key, the " +
                "host is asked with ssh-keyscan (and its fingerprint checked). Returns {status: exists|updated|error, ...}.\n\n" +
                "CLI Example: orch '*' ssh.set_known_host root github.com key=AAAA... enc=ssh-rsa",
                [Opt("user"), Opt("hostname"), Opt("fingerprint"), Opt("key"), Opt("port"), Opt("enc"), Opt("config"), Opt("hash_known_hosts", true),
                 Opt("timeout", 5L), Opt("fingerprint_hash_type")], _knownHosts.SetAsync),
        ];
    }

    public string Doc => "Manage client ssh components: authorized_keys and known_hosts files.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    /// <summary>Salt's <c>_get_config_file</c>: the user's authorized_keys path, relative paths under the home directory.</summary>
    private (string Path, UserAccount User) ConfigFile(string user, string config)
    {
        var account = _accounts.Users().FirstOrDefault(u => u.Name == user)
            ?? throw new ModuleException($"User '{user}' does not exist");
        var path = SshKeys.ExpandPath(config, user, account.Home);
        return (System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.Combine(account.Home, path), account);
    }

    private Dictionary<string, SshAuthorizedKey> Current(string user, string config, string? hashType)
    {
        string? full = null;
        try
        {
            full = ConfigFile(user, config).Path;
        }
        catch (ModuleException)
        {
            // Salt's auth_keys: an unknown user has no keys.
        }
        return full is not null && File.Exists(full) ? SshKeys.ReadKeys(full, hashType) : new(StringComparer.Ordinal);
    }

    private static object? KeysTree(Dictionary<string, SshAuthorizedKey> keys) => keys.ToDictionary(
        p => p.Key,
        p => (object?)new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["enc"] = p.Value.Enc,
            ["comment"] = p.Value.Comment,
            ["options"] = p.Value.Options.Cast<object?>().ToList(),
            ["fingerprint"] = p.Value.Fingerprint,
        },
        StringComparer.Ordinal);

    private Task<object?> AuthKeys(ModuleCall call, CancellationToken cancellationToken)
    {
        var config = call.GetString("config") ?? AuthorizedKeys;
        var hashType = call.GetString("fingerprint_hash_type");
        if (call["user"] is string single)
        {
            return Task.FromResult(KeysTree(Current(single, config, hashType)));
        }
        var users = call.GetList("user")?.Select(u => u?.ToString() ?? string.Empty).ToList() ?? _accounts.Users().Select(u => u.Name).ToList();
        var all = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var user in users)
        {
            string full;
            try
            {
                full = ConfigFile(user, config).Path;
            }
            catch (ModuleException)
            {
                continue;
            }
            if (File.Exists(full))
            {
                all[user] = KeysTree(SshKeys.ReadKeys(full, hashType));
            }
        }
        return Task.FromResult<object?>(all);
    }

    private static List<string> Options(ModuleCall call) => call.GetList("options")?.Select(o => o?.ToString() ?? string.Empty).ToList() ?? [];

    private string Check(string user, string key, string enc, string comment, IReadOnlyList<string> options, string config, string? hashType)
    {
        enc = SshKeys.RefineEnc(enc);
        var current = Current(user, config, hashType);
        if (!current.TryGetValue(key, out var found))
        {
            return "add";
        }
        return SshKeys.FormatLine(key, found.Enc, found.Comment, found.Options) != SshKeys.FormatLine(key, enc, comment, options) ? "update" : "exists";
    }

    private Task<object?> CheckKey(ModuleCall call, CancellationToken cancellationToken) => Task.FromResult<object?>(Check(
        call.RequireString("user"), call.RequireString("key"), call.GetString("enc") ?? "ssh-rsa", call.GetString("comment") ?? string.Empty,
        Options(call), call.GetString("config") ?? AuthorizedKeys, call.GetString("fingerprint_hash_type")));

    private static async Task<string?> CacheAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var source = call.RequireString("source");
        var saltenv = call.GetString("saltenv") ?? "base";
        if (source.StartsWith("salt://", StringComparison.Ordinal))
        {
            return call.Context.Files is null ? null : await call.Context.Files.CacheFileAsync(source, saltenv, cancellationToken).ConfigureAwait(false);
        }
        var path = source.StartsWith("file://", StringComparison.Ordinal) ? source[7..] : source;
        return File.Exists(path) ? path : null;
    }

    private async Task<object?> CheckKeyFileAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var local = await CacheAsync(call, cancellationToken).ConfigureAwait(false);
        if (local is null)
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        }
        var hashType = call.GetString("fingerprint_hash_type");
        var keys = SshKeys.ReadKeys(local, hashType);
        if (keys.Count == 0)
        {
            throw new ModuleException($"No keys detected in {call.GetString("source")}. Is file properly formatted?");
        }
        var user = call.RequireString("user");
        var config = call.GetString("config") ?? AuthorizedKeys;
        return keys.ToDictionary(p => p.Key, p => (object?)Check(user, p.Key, p.Value.Enc, p.Value.Comment, p.Value.Options, config, hashType),
            StringComparer.Ordinal);
    }

    private string Remove(string user, string key, string config, string? hashType)
    {
        if (!Current(user, config, hashType).ContainsKey(key))
        {
            return "Key not present";
        }
        var full = ConfigFile(user, config).Path;
        if (!File.Exists(full))
        {
            return $"Authorized keys file {full} not present";
        }
        try
        {
            File.WriteAllText(full, SshKeys.RemoveKey(File.ReadAllText(full), key));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "Key not removed";
        }
        return "Key removed";
    }

    private Task<object?> RmAuthKey(ModuleCall call, CancellationToken cancellationToken) => Task.FromResult<object?>(Remove(
        call.RequireString("user"), call.RequireString("key"), call.GetString("config") ?? AuthorizedKeys, call.GetString("fingerprint_hash_type")));

    private async Task<object?> RmAuthKeyFromFileAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var local = await CacheAsync(call, cancellationToken).ConfigureAwait(false)
            ?? throw new ModuleException("Failed to pull key file from salt file server");
        var hashType = call.GetString("fingerprint_hash_type");
        var keys = SshKeys.ReadKeys(local, hashType);
        if (keys.Count == 0)
        {
            return "fail";
        }
        var user = call.RequireString("user");
        var config = call.GetString("config") ?? AuthorizedKeys;
        var all = string.Concat(keys.Keys.Select(k => Remove(user, k, config, hashType)));
        return all.Contains("Key not removed", StringComparison.Ordinal) ? "Key not removed"
            : all.Contains("Key removed", StringComparison.Ordinal) ? "Key removed" : "Key not present";
    }

    private async Task<string> SetAsync(string user, string key, string enc, string comment, IReadOnlyList<string> options, string config, string? hashType,
        CancellationToken cancellationToken)
    {
        if (SshKeys.Words(key).Length > 1)
        {
            return "invalid";
        }
        enc = SshKeys.RefineEnc(enc);
        var account = _accounts.Users().FirstOrDefault(u => u.Name == user);
        if (account is null)
        {
            return "fail";
        }
        if (SshKeys.Fingerprint(key, hashType) is null)
        {
            return "Invalid public key";
        }
        var status = Check(user, key, enc, comment, options, config, hashType);
        var authLine = SshKeys.FormatLine(key, enc, comment, options);
        var full = ConfigFile(user, config).Path;
        if (status == "update")
        {
            try
            {
                File.WriteAllText(full, SshKeys.ReplaceKey(File.ReadAllText(full), key, authLine));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ModuleException($"Problem reading or writing to key file: {e.Message}");
            }
            return "replace";
        }
        if (status == "exists")
        {
            return "no change";
        }
        if (full.StartsWith(account.Home, StringComparison.Ordinal) && !Directory.Exists(account.Home))
        {
            return "fail";
        }
        var dir = System.IO.Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
        {
            Directory.CreateDirectory(dir);
            await OwnAsync(dir, account, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, cancellationToken).ConfigureAwait(false);
        }
        var newFile = !File.Exists(full);
        try
        {
            var prefix = !newFile && new FileInfo(full).Length > 0 && !File.ReadAllText(full).EndsWith('\n') ? "\n" : string.Empty;
            File.AppendAllText(full, prefix + authLine);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModuleException($"Could not write to key file: {e.Message}");
        }
        if (newFile)
        {
            await OwnAsync(full, account, UnixFileMode.UserRead | UnixFileMode.UserWrite, cancellationToken).ConfigureAwait(false);
        }
        return "new";
    }

    /// <summary>As Salt: chown to the user when running as root, then the mode (0700 for .ssh, 0600 for the file).</summary>
    private async Task OwnAsync(string path, UserAccount account, UnixFileMode mode, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        if (Environment.UserName == "root")
        {
            var owner = $"{account.Uid}:{account.Gid}";
            var result = await _runner.RunAsync(new ProcessRequest("chown", [owner, path]), cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new ModuleException($"Failed to change ownership of {path}: {result.Stderr.Trim()}");
            }
        }
        File.SetUnixFileMode(path, mode);
    }

    private async Task<object?> SetAuthKeyAsync(ModuleCall call, CancellationToken cancellationToken) => await SetAsync(
        call.RequireString("user"), call.RequireString("key"), call.GetString("enc") ?? "ssh-rsa", call.GetString("comment") ?? string.Empty,
        Options(call), call.GetString("config") ?? AuthorizedKeys, call.GetString("fingerprint_hash_type"), cancellationToken).ConfigureAwait(false);

    private async Task<object?> SetAuthKeyFromFileAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var local = await CacheAsync(call, cancellationToken).ConfigureAwait(false)
            ?? throw new ModuleException("Failed to pull key file from salt file server");
        var hashType = call.GetString("fingerprint_hash_type");
        var keys = SshKeys.ReadKeys(local, hashType);
        if (keys.Count == 0)
        {
            return "fail";
        }
        var user = call.RequireString("user");
        var config = call.GetString("config") ?? AuthorizedKeys;
        var all = string.Empty;
        foreach (var (key, found) in keys)
        {
            all += await SetAsync(user, key, found.Enc, found.Comment, found.Options, config, hashType, cancellationToken).ConfigureAwait(false);
        }
        return all.Contains("fail", StringComparison.Ordinal) ? "fail"
            : all.Contains("replace", StringComparison.Ordinal) ? "replace"
            : all.Contains("new", StringComparison.Ordinal) ? "new" : "no change";
    }
}

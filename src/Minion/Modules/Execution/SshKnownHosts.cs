using Orchestrator.Minion.Modules.Providers;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>The known_hosts functions of Salt's <c>ssh</c> module, run through <c>ssh-keygen</c> and <c>ssh-keyscan</c> as there.</summary>
internal sealed class SshKnownHosts(IProcessRunner runner, IAccountDatabase accounts)
{
    private const long DefaultPort = 22;

    private static Dictionary<string, object?> Error(string message) => new(StringComparer.Ordinal) { ["status"] = "error", ["error"] = message };

    /// <summary>Salt's <c>_get_known_hosts_file</c>: the path, or an error mapping.</summary>
    private object KnownHostsFile(string? config, string? user)
    {
        config ??= string.IsNullOrEmpty(user) ? "/etc/ssh/ssh_known_hosts" : ".ssh/known_hosts";
        if (Path.IsPathRooted(config))
        {
            return config;
        }
        if (string.IsNullOrEmpty(user))
        {
            return Error("Cannot determine absolute path to file.");
        }
        var account = accounts.Users().FirstOrDefault(u => u.Name == user);
        return account is null ? Error($"User {user} does not exist") : Path.Combine(account.Home, config);
    }

    private static long? Port(ModuleCall call) => call["port"] is null ? null : call.GetInt("port");

    private static string SshHostname(string hostname, long? port) =>
        port is null or DefaultPort ? hostname : $"[{hostname}]:{port}";

    /// <summary>Runs a tool as Salt's <c>cmd.run</c> does: stderr merged into stdout, trailing whitespace stripped.</summary>
    private async Task<string> RunAsync(string tool, List<string> arguments, CancellationToken cancellationToken)
    {
        if (!HostCommand.Which(tool))
        {
            throw new ModuleException($"The \"{tool}\" binary was not found in $PATH.");
        }
        var result = await runner.RunAsync(new ProcessRequest(tool, arguments) { MergeStderr = true }, cancellationToken).ConfigureAwait(false);
        return (result.Stdout + result.Stderr).TrimEnd();
    }

    /// <summary>Salt's <c>_parse_openssh_output</c>: <c>hostname enc key</c> lines with a decodable key.</summary>
    private static List<object?> Parse(string output, string? hashType)
    {
        var entries = new List<object?>();
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var words = SshKeys.Words(line);
            if (words.Length != 3 || SshKeys.Fingerprint(words[2], hashType) is not { } fingerprint)
            {
                continue;
            }
            entries.Add(new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["hostname"] = words[0],
                ["key"] = words[2],
                ["enc"] = words[1],
                ["fingerprint"] = fingerprint,
            });
        }
        return entries;
    }

    private async Task<object?> EntriesAsync(string? user, string hostname, string? config, long? port, string? hashType, CancellationToken cancellationToken)
    {
        if (!HostCommand.Which("ssh-keygen"))
        {
            throw new ModuleException("The \"ssh-keygen\" binary was not found in $PATH.");
        }
        var full = KnownHostsFile(config, user);
        if (full is not string path)
        {
            return full;
        }
        var output = await RunAsync("ssh-keygen", ["-F", SshHostname(hostname, port), "-f", path], cancellationToken).ConfigureAwait(false);
        var entries = Parse(output, hashType);
        return entries.Count > 0 ? entries : null;
    }

    public Task<object?> GetEntriesAsync(ModuleCall call, CancellationToken cancellationToken) => EntriesAsync(
        call.GetString("user"), call.RequireString("hostname"), call.GetString("config"), Port(call), call.GetString("fingerprint_hash_type"), cancellationToken);

    public async Task<object?> CheckAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var hostname = call.GetString("hostname");
        if (string.IsNullOrEmpty(hostname))
        {
            return Error("hostname argument required");
        }
        var user = call.GetString("user");
        var config = call.GetString("config") ?? (string.IsNullOrEmpty(user) ? "/etc/ssh/ssh_known_hosts" : ".ssh/known_hosts");
        var entries = await EntriesAsync(user, hostname, config, Port(call), call.GetString("fingerprint_hash_type"), cancellationToken).ConfigureAwait(false);
        if (entries is Dictionary<string, object?> error)
        {
            // Salt iterates the error mapping as if it were the entry list and fails on it.
            throw new ModuleException($"string indices must be integers ({error.GetValueOrDefault("error")})");
        }
        if (entries is not List<object?> list)
        {
            return "add";
        }
        var maps = list.OfType<Dictionary<string, object?>>().ToList();
        if (call.GetString("key") is { Length: > 0 } key)
        {
            return maps.Any(e => Equals(e["key"], key)) ? "exists" : "update";
        }
        if (call.GetString("fingerprint") is { Length: > 0 } fingerprint)
        {
            return maps.Any(e => Equals(e["fingerprint"], fingerprint)) ? "exists" : "update";
        }
        return "exists";
    }

    public async Task<object?> ReceiveAsync(ModuleCall call, CancellationToken cancellationToken) => await ReceiveCoreAsync(
        call.RequireString("hostname"), call.GetString("enc"), Port(call), call.GetBool("hash_known_hosts", true), call.GetInt("timeout") ?? 5,
        call.GetString("fingerprint_hash_type"), cancellationToken).ConfigureAwait(false);

    private async Task<List<object?>?> ReceiveCoreAsync(string hostname, string? enc, long? port, bool hash, long timeout, string? hashType,
        CancellationToken cancellationToken)
    {
        var arguments = new List<string>();
        if (port is not null)
        {
            arguments.AddRange(["-p", port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        if (!string.IsNullOrEmpty(enc))
        {
            arguments.AddRange(["-t", enc]);
        }
        if (hash)
        {
            arguments.Add("-H");
        }
        arguments.AddRange(["-T", timeout.ToString(System.Globalization.CultureInfo.InvariantCulture), hostname]);
        var entries = new List<object?>();
        // Salt asks up to five times for a host that answers nothing.
        for (var attempt = 0; attempt < 5 && entries.Count == 0; attempt++)
        {
            entries = Parse(await RunAsync("ssh-keyscan", arguments, cancellationToken).ConfigureAwait(false), hashType);
        }
        return entries.Count > 0 ? entries : null;
    }

    public async Task<object?> RemoveAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var hostname = call.GetString("hostname");
        if (string.IsNullOrEmpty(hostname))
        {
            return Error("hostname argument required");
        }
        var user = call.GetString("user");
        var full = KnownHostsFile(call.GetString("config"), user);
        if (full is not string path)
        {
            return full;
        }
        if (!File.Exists(path))
        {
            return Error($"Known hosts file {path} does not exist");
        }
        var output = await RunAsync("ssh-keygen", ["-R", SshHostname(hostname, Port(call)), "-f", path], cancellationToken).ConfigureAwait(false);
        await ChownAsync(path, user, cancellationToken).ConfigureAwait(false);
        return new Dictionary<string, object?>(StringComparer.Ordinal) { ["status"] = "removed", ["comment"] = output };
    }

    public async Task<object?> HashAsync(ModuleCall call, CancellationToken cancellationToken) =>
        await HashCoreAsync(call.GetString("user"), call.GetString("config"), cancellationToken).ConfigureAwait(false);

    private async Task<object?> HashCoreAsync(string? user, string? config, CancellationToken cancellationToken)
    {
        var full = KnownHostsFile(config, user);
        if (full is not string path)
        {
            return full;
        }
        if (!File.Exists(path))
        {
            return Error($"Known hosts file {path} does not exist");
        }
        var mode = File.GetUnixFileMode(path);
        var output = await RunAsync("ssh-keygen", ["-H", "-f", path], cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(path, mode);
        await ChownAsync(path, user, cancellationToken).ConfigureAwait(false);
        return new Dictionary<string, object?>(StringComparer.Ordinal) { ["status"] = "updated", ["comment"] = output };
    }

    private async Task ChownAsync(string path, string? user, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(user) || Environment.UserName != "root" || accounts.Users().FirstOrDefault(u => u.Name == user) is not { } account)
        {
            return;
        }
        await runner.RunAsync(new ProcessRequest("chown", [$"{account.Uid}:{account.Gid}", path]), cancellationToken).ConfigureAwait(false);
    }

    public async Task<object?> SetAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var hostname = call.GetString("hostname");
        if (string.IsNullOrEmpty(hostname))
        {
            return Error("hostname argument required");
        }
        var user = call.GetString("user");
        var port = Port(call);
        var hash = call.GetBool("hash_known_hosts", true);
        var key = call.GetString("key");
        var fingerprint = call.GetString("fingerprint");
        var enc = call.GetString("enc");
        var config = call.GetString("config");
        var hashType = call.GetString("fingerprint_hash_type");
        if (port is not null and not DefaultPort && hash)
        {
            return Error("argument port can not be used in conjunction with argument hash_known_hosts");
        }
        var storedRaw = await EntriesAsync(user, hostname, config, port, hashType, cancellationToken).ConfigureAwait(false);
        if (storedRaw is Dictionary<string, object?> storedError)
        {
            return storedError;
        }
        var stored = (storedRaw as List<object?>)?.OfType<Dictionary<string, object?>>().ToList() ?? [];
        var storedKeys = stored.Select(e => e["key"] as string).ToList();
        var updateRequired = stored.Count == 0
            || (!string.IsNullOrEmpty(fingerprint) && stored.All(e => !Equals(e["fingerprint"], fingerprint)))
            || (!string.IsNullOrEmpty(key) && !storedKeys.Contains(key));
        var checkRequired = !updateRequired && key is null && fingerprint is null;
        if (!updateRequired && !checkRequired)
        {
            return Exists(storedKeys);
        }
        List<object?> remote;
        if (string.IsNullOrEmpty(key))
        {
            var received = await ReceiveCoreAsync(hostname, enc, port, hash, call.GetInt("timeout") ?? 5, hashType, cancellationToken).ConfigureAwait(false);
            if (received is null)
            {
                return Error("Unable to receive remote host keys");
            }
            var maps = received.OfType<Dictionary<string, object?>>().ToList();
            if (!string.IsNullOrEmpty(fingerprint) && maps.All(e => !Equals(e["fingerprint"], fingerprint)))
            {
                return Error("Remote host public keys found but none of their fingerprints match the one you have provided");
            }
            if (checkRequired && maps.Any(e => storedKeys.Contains(e["key"] as string)))
            {
                return Exists(storedKeys);
            }
            remote = received;
        }
        else
        {
            remote = [new Dictionary<string, object?>(StringComparer.Ordinal) { ["hostname"] = hostname, ["enc"] = enc, ["key"] = key }];
        }
        var full = KnownHostsFile(config, user);
        if (full is not string path)
        {
            return full;
        }
        UnixFileMode? origMode = null;
        if (File.Exists(path))
        {
            origMode = File.GetUnixFileMode(path);
            await RemoveStaleAsync(path, hostname, port, enc, cancellationToken).ConfigureAwait(false);
        }
        var text = string.Concat(remote.OfType<Dictionary<string, object?>>().Select(e =>
            hash || port is null or DefaultPort || (e["hostname"] as string ?? string.Empty).Contains(':')
                ? $"{PyText.Str(e["hostname"])} {PyText.Str(e["enc"])} {PyText.Str(e["key"])}\n"
                : $"[{PyText.Str(e["hostname"])}]:{port} {PyText.Str(e["enc"])} {PyText.Str(e["key"])}\n"));
        var dir = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(dir))
        {
            Directory.CreateDirectory(dir);
            if (!string.IsNullOrEmpty(user))
            {
                await ChownAsync(dir, user, cancellationToken).ConfigureAwait(false);
                File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        try
        {
            await File.AppendAllTextAsync(path, text, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModuleException($"Couldn't append to known hosts file: '{e.Message}'");
        }
        await ChownAsync(path, user, cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(path, origMode ?? (UnixFileMode.UserRead | UnixFileMode.UserWrite));
        if (!string.IsNullOrEmpty(key) && hash)
        {
            await HashCoreAsync(user, path, cancellationToken).ConfigureAwait(false);
        }
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["status"] = "updated",
            ["old"] = stored.Count > 0 ? stored.Cast<object?>().ToList() : null,
            ["new"] = remote,
        };
    }

    private static Dictionary<string, object?> Exists(List<string?> keys) =>
        new(StringComparer.Ordinal) { ["status"] = "exists", ["keys"] = keys.Cast<object?>().ToList() };

    /// <summary>Drops the stored lines of this host with the same key type (found with <c>ssh-keygen -F</c>, as Salt does).</summary>
    private async Task RemoveStaleAsync(string path, string hostname, long? port, string? enc, CancellationToken cancellationToken)
    {
        var lines = (await RunAsync("ssh-keygen", ["-F", SshHostname(hostname, port), "-f", path], cancellationToken).ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var wanted = string.IsNullOrEmpty(enc) ? "rsa" : enc;
        var remove = new SortedSet<int>();
        for (var i = 0; i + 1 < lines.Length; i += 2)
        {
            var header = SshKeys.Words(lines[i]);
            var entry = SshKeys.Words(lines[i + 1]);
            if (header.Length > 0 && int.TryParse(header[^1], out var lineNo) && entry.Length >= 2 && entry[^2] == wanted)
            {
                remove.Add(lineNo);
            }
        }
        if (remove.Count == 0)
        {
            return;
        }
        try
        {
            var content = (await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Split('\n').ToList();
            foreach (var lineNo in remove.Reverse())
            {
                content.RemoveAt(lineNo - 1);
            }
            await File.WriteAllTextAsync(path, string.Join('\n', content), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            throw new ModuleException($"Couldn't remove old entry(ies) from known hosts file: '{e.Message}'");
        }
    }
}

using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>ssh_known_hosts</c> states: a host's key in a user's or the system's known_hosts file.</summary>
[StateModule("ssh_known_hosts")]
public sealed class SshKnownHostsState : IStateModule
{
    public string Doc => "Control of SSH known_hosts entries.";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("present", [FunctionParameter.Req("name")], SaltExceptionText.Guard(PresentAsync),
            "Verifies that the specified host is known by the specified user.\n\nname: the host name; user (without it, config " +
            "must be absolute; default /etc/ssh/ssh_known_hosts, or .ssh/known_hosts under the user's home); key and enc (the " +
            "public key and its type), or fingerprint (then the key is fetched with ssh-keyscan and must match it), not both; " +
            "port; config; hash_known_hosts (default True); timeout (ssh-keyscan, default 5); fingerprint_hash_type. Test mode " +
            "reports whether the key would be added or updated."),
        new("absent", [FunctionParameter.Req("name")], SaltExceptionText.Guard(AbsentAsync),
            "Verifies that the specified host is not known by the given user.\n\nname: the host name; user; config (default " +
            "/etc/ssh/ssh_known_hosts, or .ssh/known_hosts under the user's home)."),
    ];

    private static string Config(StateCall c) =>
        c.GetString("config") ?? (string.IsNullOrEmpty(c.GetString("user")) ? "/etc/ssh/ssh_known_hosts" : ".ssh/known_hosts");

    private static async Task<StateReturn> PresentAsync(StateCall c, CancellationToken ct)
    {
        var user = c.GetString("user");
        var config = Config(c);
        var ret = new StateReturn { Name = c.Name, Result = c.Test ? null : true, Comment = string.Empty };
        if (string.IsNullOrEmpty(user) && !Path.IsPathRooted(config))
        {
            ret.Result = false;
            ret.Comment = "If not specifying a \"user\", specify an absolute \"config\".";
            return ret;
        }
        var key = c.GetString("key");
        var fingerprint = c.GetString("fingerprint");
        var enc = c.GetString("enc");
        if (c.Test)
        {
            if (!string.IsNullOrEmpty(key) && !string.IsNullOrEmpty(fingerprint))
            {
                return StateReturn.Fail(c.Name, "Specify either \"key\" or \"fingerprint\", not both.");
            }
            if (!string.IsNullOrEmpty(key) && string.IsNullOrEmpty(enc))
            {
                return StateReturn.Fail(c.Name, "Required argument \"enc\" if using \"key\" argument.");
            }
            var check = PyText.Str(await StateInvoke.CallAsync(c, "ssh.check_known_host", [user, c.Name],
                new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["key"] = key, ["fingerprint"] = fingerprint, ["config"] = config, ["port"] = c["port"],
                    ["fingerprint_hash_type"] = c.GetString("fingerprint_hash_type"),
                }, ct).ConfigureAwait(false));
            switch (check)
            {
                case "exists":
                    ret.Result = true;
                    ret.Comment = $"Host {c.Name} is already in {config}";
                    break;
                case "add":
                    ret.Comment = $"Key for {c.Name} is set to be added to {config}";
                    break;
                default:
                    ret.Comment = $"Key for {c.Name} is set to be updated in {config}";
                    break;
            }
            return ret;
        }
        var result = await StateInvoke.CallAsync(c, "ssh.set_known_host", [],
            new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["user"] = user, ["hostname"] = c.Name, ["fingerprint"] = fingerprint, ["key"] = key, ["port"] = c["port"], ["enc"] = enc,
                ["config"] = config, ["hash_known_hosts"] = c.GetBool("hash_known_hosts", true), ["timeout"] = c.GetInt("timeout") ?? 5,
                ["fingerprint_hash_type"] = c.GetString("fingerprint_hash_type"),
            }, ct).ConfigureAwait(false) as Dictionary<string, object?> ?? [];
        switch (PyText.Str(result.GetValueOrDefault("status")))
        {
            case "exists":
                ret.Comment = $"{c.Name} already exists in {config}";
                return ret;
            case "error":
                return StateReturn.Fail(c.Name, PyText.Str(result.GetValueOrDefault("error")));
        }
        ret.Changes["old"] = result.GetValueOrDefault("old");
        ret.Changes["new"] = result.GetValueOrDefault("new");
        var first = (result.GetValueOrDefault("new") as List<object?>)?.FirstOrDefault() as Dictionary<string, object?>;
        ret.Comment = !string.IsNullOrEmpty(key)
            ? $"{c.Name}'s key saved to {config} (key: {PyText.Str(first?.GetValueOrDefault("key"))})"
            : $"{c.Name}'s key saved to {config} (fingerprint: {PyText.Str(first?.GetValueOrDefault("fingerprint"))})";
        return ret;
    }

    private static async Task<StateReturn> AbsentAsync(StateCall c, CancellationToken ct)
    {
        var user = c.GetString("user");
        var config = Config(c);
        var ret = new StateReturn { Name = c.Name, Result = true, Comment = string.Empty };
        if (string.IsNullOrEmpty(user) && !Path.IsPathRooted(config))
        {
            return StateReturn.Fail(c.Name, "If not specifying a \"user\", specify an absolute \"config\".");
        }
        var known = await StateInvoke.CallAsync(c, "ssh.get_known_host_entries", [user, c.Name],
            new Dictionary<string, object?>(StringComparer.Ordinal) { ["config"] = config }, ct).ConfigureAwait(false);
        // An error mapping (unknown user) is truthy here, as in Salt.
        if (!DataTree.IsTruthy(known))
        {
            ret.Comment = "Host is already absent";
            return ret;
        }
        if (c.Test)
        {
            ret.Result = null;
            ret.Comment = $"Key for {c.Name} is set to be removed from {config}";
            return ret;
        }
        var removed = await StateInvoke.CallAsync(c, "ssh.rm_known_host", [],
            new Dictionary<string, object?>(StringComparer.Ordinal) { ["user"] = user, ["hostname"] = c.Name, ["config"] = config }, ct)
            .ConfigureAwait(false) as Dictionary<string, object?> ?? [];
        if (PyText.Str(removed.GetValueOrDefault("status")) == "error")
        {
            return StateReturn.Fail(c.Name, PyText.Str(removed.GetValueOrDefault("error")));
        }
        ret.Changes["old"] = known;
        ret.Changes["new"] = null;
        ret.Comment = PyText.Str(removed.GetValueOrDefault("comment"));
        return ret;
    }
}

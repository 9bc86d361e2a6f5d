using System.Net;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>host</c> states over the <c>hosts.*</c> functions (the file named by the <c>hosts.file</c> option).</summary>
[StateModule("host")]
public sealed class HostState : IStateModule
{
    private static readonly FunctionParameter[] _nameIp = [FunctionParameter.Req("name"), FunctionParameter.Req("ip")];

    public string Doc => "Manage the hosts file (/etc/hosts, or the file the minion option hosts.file names).";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("present", _nameIp, PresentAsync,
            "Ensures that the named host is present with the given ip.\n\nname\n    The host to assign an ip to\n\nip\n    The ip addr(s) to apply " +
            "to the host. Can be a single IP or a list of IP addresses.\n\ncomment\n    A comment to include for the host entry\n\nclean\n    Remove " +
            "any entries which don't match those configured in the ip option. Default is False.\n\n    salt-master:\n      host.present:\n" +
            "        - ip: 192.168.0.42"),
        new("absent", _nameIp, AbsentAsync,
            "Ensure that the named host is absent.\n\nname\n    The host to remove\n\nip\n    The ip addr(s) of the host to remove"),
    ];

    private static List<string> Ips(StateCall c) => c["ip"] is List<object?> list ? list.Select(PyText.Str).ToList() : [PyText.Str(c["ip"])];

    private static async Task<bool> Bool(StateCall c, string function, params object?[] args) =>
        DataTree.IsTruthy(await StateInvoke.CallAsync(c, function, args, null, CancellationToken.None).ConfigureAwait(false));

    private static async Task<StateReturn> PresentAsync(StateCall c, CancellationToken ct)
    {
        var name = c.Name;
        var ips = Ips(c);
        var comment = c.GetString("comment") ?? string.Empty;
        var clean = c.GetBool("clean");
        var ret = StateReturn.Ok(name, string.Empty);
        var all = await StateInvoke.CallAsync(c, "hosts.list_hosts", [], null, ct).ConfigureAwait(false) as Dictionary<string, object?> ?? [];
        var comments = new List<string>();
        var toAdd = new List<string>(ips.Where(ip => !all.ContainsKey(ip)));
        var updateComment = comment.Length > 0 ? new List<string>(toAdd) : [];
        var toRemove = new List<string>();
        var warnings = new List<object?>();
        foreach (var (addr, value) in all)
        {
            var info = value as Dictionary<string, object?>;
            var hasName = info?.GetValueOrDefault("aliases") is List<object?> aliases && aliases.Select(PyText.Str).Contains(name);
            if (!ips.Contains(addr))
            {
                if (hasName && clean)
                {
                    toRemove.Add(addr);
                }
                else if (hasName)
                {
                    warnings.Add($"Host {name} present for IP address {addr}. To get rid of this warning, either run this state with 'clean' set " +
                        $"to True to remove {name} from {addr}, or add {addr} to the 'ip' argument.");
                }
            }
            else if (hasName)
            {
                if (comment.Length > 0 && info!.TryGetValue("comment", out var existing) && PyText.Str(existing) != comment)
                {
                    updateComment.Add(addr);
                }
                else if (comment.Length > 0 && !info!.ContainsKey("comment"))
                {
                    updateComment.Add(addr);
                }
                else
                {
                    comments.Add($"Host {name} ({addr}) already present");
                }
            }
            else if (IPAddress.TryParse(addr, out _))
            {
                toAdd.Add(addr);
                if (comment.Length > 0)
                {
                    updateComment.Add(addr);
                }
            }
            else
            {
                ret.Result = false;
                comments.Add($"Invalid IP Address for {name} ({addr})");
            }
        }
        if (warnings.Count > 0)
        {
            ret.Extra["warnings"] = warnings;
        }
        foreach (var addr in toAdd)
        {
            if (c.Test)
            {
                ret.Result = null;
                comments.Add($"Host {name} ({addr}) would be added");
            }
            else if (await Bool(c, "hosts.add_host", addr, name).ConfigureAwait(false))
            {
                comments.Add($"Added host {name} ({addr})");
            }
            else
            {
                ret.Result = false;
                comments.Add($"Failed to add host {name} ({addr})");
                continue;
            }
            Append(ret, "added", addr, name);
        }
        foreach (var addr in updateComment)
        {
            if (c.Test)
            {
                comments.Add($"Comment for {addr} ({comment}) would be added");
            }
            else if (await Bool(c, "hosts.set_comment", addr, comment).ConfigureAwait(false))
            {
                comments.Add($"Set comment for host {addr} ({comment})");
            }
            else
            {
                ret.Result = false;
                comments.Add($"Failed to add comment for host {addr} ({comment})");
                continue;
            }
            Append(ret, "comment_added", addr, comment);
        }
        foreach (var addr in toRemove)
        {
            if (c.Test)
            {
                ret.Result = null;
                comments.Add($"Host {name} ({addr}) would be removed");
            }
            else if (await Bool(c, "hosts.rm_host", addr, name).ConfigureAwait(false))
            {
                comments.Add($"Removed host {name} ({addr})");
            }
            else
            {
                ret.Result = false;
                comments.Add($"Failed to remove host {name} ({addr})");
                continue;
            }
            Append(ret, "removed", addr, name);
        }
        ret.Comment = string.Join("\n", comments);
        return ret;
    }

    private static void Append(StateReturn ret, string kind, string addr, string value)
    {
        if (ret.Changes.GetValueOrDefault(kind) is not Dictionary<string, object?> byAddr)
        {
            ret.Changes[kind] = byAddr = new Dictionary<string, object?>(StringComparer.Ordinal);
        }
        if (byAddr.GetValueOrDefault(addr) is not List<object?> list)
        {
            byAddr[addr] = list = [];
        }
        list.Add(value);
    }

    private static async Task<StateReturn> AbsentAsync(StateCall c, CancellationToken ct)
    {
        var name = c.Name;
        var ret = new StateReturn { Name = name, Result = null };
        var comments = new List<string>();
        foreach (var ip in Ips(c))
        {
            if (!await Bool(c, "hosts.has_pair", ip, name).ConfigureAwait(false))
            {
                ret.Result = true;
                comments.Add($"Host {name} ({ip}) already absent");
            }
            else if (c.Test)
            {
                comments.Add($"Host {name} ({ip}) needs to be removed");
            }
            else if (await Bool(c, "hosts.rm_host", ip, name).ConfigureAwait(false))
            {
                ret.Changes = new Dictionary<string, object?>(StringComparer.Ordinal) { ["host"] = name };
                ret.Result = true;
                comments.Add($"Removed host {name} ({ip})");
            }
            else
            {
                ret.Result = false;
                comments.Add("Failed to remove host");
            }
        }
        ret.Comment = string.Join("\n", comments);
        return ret;
    }
}

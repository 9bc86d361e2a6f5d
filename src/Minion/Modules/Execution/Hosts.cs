using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>hosts</c> module: the hosts file named by the <c>hosts.file</c> option (default <c>/etc/hosts</c>).</summary>
[ExecutionModule("hosts")]
public sealed class HostsModule : IExecutionModule
{
    public HostsModule()
    {
        Functions =
        [
            new("add_host", "Add a host to an existing entry; if the entry is not in place, create it with the given host.\n\n" +
                "CLI Example: orch '*' hosts.add_host <ip> <alias>", [Req("ip"), Req("alias")],
                (c, _) => Task.FromResult<object?>(AddHost(FileName(c.Context), c.RequireString("ip"), c.RequireString("alias")))),
            new("get_alias", "Return the list of aliases associated with an ip.\n\nCLI Example: orch '*' hosts.get_alias <ip addr>", [Req("ip")],
                (c, _) => Task.FromResult<object?>(Read(FileName(c.Context)).GetValueOrDefault(c.RequireString("ip"))?.Aliases.Cast<object?>().ToList()
                    ?? [])),
            new("get_ip", "Return the ip associated with the named host.\n\nCLI Example: orch '*' hosts.get_ip <hostname>", [Req("host")],
                (c, _) => Task.FromResult<object?>(Read(FileName(c.Context)).FirstOrDefault(kv => kv.Value.Aliases.Contains(c.RequireString("host"))).Key ?? string.Empty)),
            new("has_pair", "Return True if the alias is set for the ip.\n\nCLI Example: orch '*' hosts.has_pair <ip> <alias>", [Req("ip"), Req("alias")],
                (c, _) => Task.FromResult<object?>(HasPair(FileName(c.Context), c.RequireString("ip"), c.RequireString("alias")))),
            new("list_hosts", "Return the hosts found in the hosts file: {ip: {aliases: [...], comment: ...}}.\n\nCLI Example: orch '*' hosts.list_hosts", [],
                (c, _) => Task.FromResult<object?>(ListHosts(FileName(c.Context)))),
            new("rm_host", "Remove a host entry from the hosts file.\n\nCLI Example: orch '*' hosts.rm_host <ip> <alias>", [Req("ip"), Req("alias")],
                (c, _) => Task.FromResult<object?>(RmHost(FileName(c.Context), c.RequireString("ip"), c.RequireString("alias")))),
            new("set_comment", "Set the comment of an existing entry; False when the ip has no entry.\n\nCLI Example: orch '*' hosts.set_comment <ip> <comment>",
                [Req("ip"), Req("comment")],
                (c, _) => Task.FromResult<object?>(SetComment(FileName(c.Context), c.RequireString("ip"), c.RequireString("comment")))),
        ];
    }

    public string Doc => "Manage the information in the hosts file.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    /// <summary>One line of the hosts file: an address with its names, or a comment line kept as it is.</summary>
    public sealed record Entry(List<string> Aliases, string? Comment, string? RawComment = null);

    /// <summary>The hosts file from the <c>hosts.file</c> option, as Salt's <c>config.option</c> finds it.</summary>
    public static string FileName(ModuleContext context) => context.Opt("hosts.file") as string ?? "/etc/hosts";

    /// <summary>Parses the file in order; comment lines get keys <c>comment-N</c>, as Salt's parser does.</summary>
    public static List<KeyValuePair<string, Entry>> ReadOrdered(string path)
    {
        var ret = new List<KeyValuePair<string, Entry>>();
        if (!File.Exists(path))
        {
            return ret;
        }
        var count = 0;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith('#'))
            {
                ret.Add(new($"comment-{count++}", new Entry([], null, line)));
                continue;
            }
            string? comment = null;
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                comment = line[(hash + 1)..].TrimStart();
                line = line[..hash].Trim();
            }
            var comps = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var index = ret.FindIndex(kv => kv.Key == comps[0]);
            if (index < 0)
            {
                ret.Add(new(comps[0], new Entry([.. comps.Skip(1)], comment)));
            }
            else
            {
                ret[index].Value.Aliases.AddRange(comps.Skip(1));
                if (comment is not null)
                {
                    ret[index] = new(comps[0], ret[index].Value with { Comment = comment });
                }
            }
        }
        return ret;
    }

    private static Dictionary<string, Entry> Read(string path) =>
        ReadOrdered(path).Where(kv => !kv.Key.StartsWith("comment-", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    public static Dictionary<string, object?> ListHosts(string path)
    {
        var ret = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (ip, entry) in ReadOrdered(path))
        {
            if (entry.RawComment is not null)
            {
                ret[ip] = new List<object?> { entry.RawComment };
                continue;
            }
            var info = new Dictionary<string, object?>(StringComparer.Ordinal) { ["aliases"] = entry.Aliases.Cast<object?>().ToList() };
            if (entry.Comment is not null)
            {
                info["comment"] = entry.Comment;
            }
            ret[ip] = info;
        }
        return ret;
    }

    public static bool HasPair(string path, string ip, string alias) => Read(path).TryGetValue(ip, out var entry) && entry.Aliases.Contains(alias);

    private static void EnsureFile(string path)
    {
        if (!File.Exists(path))
        {
            File.WriteAllText(path, string.Empty);
        }
    }

    public static bool AddHost(string path, string ip, string alias)
    {
        EnsureFile(path);
        if (HasPair(path, ip, alias))
        {
            return true;
        }
        var hosts = ReadOrdered(path);
        var index = hosts.FindIndex(kv => kv.Key == ip);
        if (index < 0)
        {
            hosts.Add(new(ip, new Entry([alias], null)));
        }
        else
        {
            hosts[index].Value.Aliases.Add(alias);
        }
        Write(path, hosts);
        return true;
    }

    public static bool SetComment(string path, string ip, string comment)
    {
        EnsureFile(path);
        var hosts = ReadOrdered(path);
        var index = hosts.FindIndex(kv => kv.Key == ip);
        if (index < 0)
        {
            return false;
        }
        if (hosts[index].Value.Comment != comment)
        {
            hosts[index] = new(ip, hosts[index].Value with { Comment = comment });
            Write(path, hosts);
        }
        return true;
    }

    /// <summary>Removes one alias from the ip's lines, editing lines in place (other lines, comments included, stay as they are).</summary>
    public static bool RmHost(string path, string ip, string alias)
    {
        if (!HasPair(path, ip, alias))
        {
            return true;
        }
        var lines = File.ReadAllLines(path).ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            string? comment = null;
            var info = line;
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                info = line[..hash];
                comment = line[(hash + 1)..].TrimStart();
            }
            var comps = info.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (comps[0] != ip)
            {
                continue;
            }
            var rest = comps.Skip(1).Where(a => a != alias).ToList();
            lines[i] = rest.Count == 0 ? string.Empty
                : comps[0] + "\t\t" + string.Concat(rest.Select(a => a + " ")) + (comment is null ? string.Empty : "# " + comment);
        }
        File.WriteAllText(path, string.Concat(lines.Select(l => l.Length == 0 ? string.Empty : l + "\n")));
        return true;
    }

    private static void Write(string path, List<KeyValuePair<string, Entry>> hosts)
    {
        var text = new System.Text.StringBuilder();
        foreach (var (ip, entry) in hosts)
        {
            var line = entry.RawComment
                ?? (entry.Comment is null ? $"{ip}\t\t{string.Join(' ', entry.Aliases)}" : $"{ip}\t\t{string.Join(' ', entry.Aliases)}\t\t# {entry.Comment}");
            if (line.Trim().Length > 0)
            {
                text.Append(line.Trim()).Append('\n');
            }
        }
        File.WriteAllText(path, text.ToString());
    }
}

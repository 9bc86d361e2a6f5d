using System.Globalization;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>Grains about the minion process itself: <c>pid</c>, <c>uid</c>, <c>gid</c>, <c>username</c>, <c>groupname</c>, <c>cwd</c>, <c>path</c>, <c>systempath</c>, <c>shell</c>.</summary>
public sealed class ProcessGrains : IGrainProvider
{
    public string Name => "process";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        // The process's own ids: always the real /proc, whatever root the other providers read.
        long? uid = null, gid = null;
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    uid = long.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("Gid:", StringComparison.Ordinal))
                {
                    gid = long.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // Not Linux: ids stay unknown.
        }
        var groupName = gid is { } g ? GroupName(context, g) : null;
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Trim();
        return Task.FromResult(new Dictionary<string, object?>
        {
            ["pid"] = (long)Environment.ProcessId,
            ["uid"] = uid,
            ["gid"] = gid,
            ["username"] = Environment.UserName,
            ["groupname"] = groupName,
            ["cwd"] = Environment.CurrentDirectory,
            ["path"] = path,
            ["systempath"] = path.Split(Path.PathSeparator).Cast<object?>().ToList(),
            ["shell"] = Environment.GetEnvironmentVariable("SHELL") is { Length: > 0 } shell ? shell : "/bin/sh",
        });
    }

    private static string? GroupName(GrainContext context, long gid)
    {
        var groups = context.ReadHostFile("/etc/group");
        return groups?.Split('\n')
            .Select(line => line.Split(':'))
            .FirstOrDefault(f => f.Length > 2 && f[2] == gid.ToString(CultureInfo.InvariantCulture))?[0];
    }
}

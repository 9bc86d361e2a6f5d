using System.Globalization;

namespace Orchestrator.Minion.Modules.Providers;

/// <summary>Reads <c>/etc/passwd</c> and <c>/etc/group</c> (or the same files under another root, for tests).</summary>
public sealed class EtcAccountDatabase(string root = "/") : IAccountDatabase
{
    private readonly string _passwdPath = Path.Combine(root, "etc", "passwd");
    private readonly string _groupPath = Path.Combine(root, "etc", "group");

    public IReadOnlyList<UserAccount> Users() =>
        ReadFields(_passwdPath, 7)
            .Select(f => new UserAccount(f[0], f[1], ParseId(f[2]), ParseId(f[3]), f[4], f[5], f[6]))
            .ToList();

    public IReadOnlyList<GroupAccount> Groups() =>
        ReadFields(_groupPath, 4)
            .Select(f => new GroupAccount(
                f[0],
                f[1],
                ParseId(f[2]),
                f[3].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            .ToList();

    private static IEnumerable<string[]> ReadFields(string path, int count)
    {
        if (!File.Exists(path))
        {
            yield break;
        }
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith('+') || line.StartsWith('-'))
            {
                continue;
            }
            var fields = line.Split(':');
            if (fields.Length < count)
            {
                continue;
            }
            yield return fields;
        }
    }

    private static long ParseId(string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : -1;
}

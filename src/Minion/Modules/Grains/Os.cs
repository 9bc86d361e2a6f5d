using System.Globalization;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>Distribution grains from <c>/etc/os-release</c>: <c>os</c>, <c>os_family</c>, <c>osrelease</c>, <c>oscodename</c>, <c>osfullname</c>...</summary>
public sealed class OsGrains : IGrainProvider
{
    // os-release ID -> Salt's os grain.
    private static readonly Dictionary<string, string> OsNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["almalinux"] = "AlmaLinux", ["alpine"] = "Alpine", ["amzn"] = "Amazon", ["arch"] = "Arch", ["centos"] = "CentOS",
        ["debian"] = "Debian", ["devuan"] = "Devuan", ["fedora"] = "Fedora", ["gentoo"] = "Gentoo", ["linuxmint"] = "Mint",
        ["ol"] = "OEL", ["opensuse-leap"] = "Leap", ["opensuse-tumbleweed"] = "openSUSE Tumbleweed", ["pop"] = "Pop",
        ["raspbian"] = "Raspbian", ["rhel"] = "RedHat", ["rocky"] = "Rocky", ["sles"] = "SUSE", ["ubuntu"] = "Ubuntu",
    };

    // Salt's os grain -> os_family grain.
    private static readonly Dictionary<string, string> Families = new(StringComparer.Ordinal)
    {
        ["AlmaLinux"] = "RedHat", ["Alpine"] = "Alpine", ["Amazon"] = "RedHat", ["Arch"] = "Arch", ["CentOS"] = "RedHat",
        ["Debian"] = "Debian", ["Devuan"] = "Debian", ["Fedora"] = "RedHat", ["Gentoo"] = "Gentoo", ["Mint"] = "Debian",
        ["OEL"] = "RedHat", ["Leap"] = "Suse", ["openSUSE Tumbleweed"] = "Suse", ["Pop"] = "Debian", ["Raspbian"] = "Debian",
        ["RedHat"] = "RedHat", ["Rocky"] = "RedHat", ["SUSE"] = "Suse", ["Ubuntu"] = "Debian",
    };

    public string Name => "os";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var release = Parse(context.ReadHostFile("/etc/os-release") ?? context.ReadHostFile("/usr/lib/os-release") ?? string.Empty);
        var id = release.GetValueOrDefault("ID", "");
        var os = OsNames.GetValueOrDefault(id) ?? (id.Length == 0 ? "Linux" : char.ToUpperInvariant(id[0]) + id[1..]);
        var family = Families.GetValueOrDefault(os) ?? FamilyFromIdLike(release.GetValueOrDefault("ID_LIKE", "")) ?? os;
        var osrelease = release.GetValueOrDefault("VERSION_ID", "");
        var codename = release.GetValueOrDefault("VERSION_CODENAME", "");
        if (codename.Length == 0 && release.TryGetValue("VERSION", out var version) && version.Contains('('))
        {
            codename = version[(version.IndexOf('(') + 1)..].TrimEnd(')').Trim();
        }
        var releaseInfo = osrelease.Split('.')
            .Select(part => long.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? (object?)n : part)
            .Where(part => part is not "")
            .ToList();
        // "Debian GNU/Linux" is reported as Debian, so osfinger reads Debian-12 as Salt users target it.
        var fullName = release.GetValueOrDefault("NAME", os).Replace(" GNU/Linux", "", StringComparison.Ordinal);
        // Ubuntu fingers carry the whole release (Ubuntu-22.04); others the major version (Debian-12, Rocky-9).
        var fingerRelease = os == "Ubuntu" ? osrelease : osrelease.Split('.')[0];
        var grains = new Dictionary<string, object?>
        {
            ["os"] = os,
            ["os_family"] = family,
            ["osfullname"] = fullName,
            ["osrelease"] = osrelease,
            ["oscodename"] = codename,
            ["osrelease_info"] = releaseInfo,
            ["osmajorrelease"] = releaseInfo.FirstOrDefault() is long major ? major : null,
            ["osfinger"] = osrelease.Length == 0 ? fullName : $"{fullName}-{fingerRelease}",
        };
        return Task.FromResult(grains);
    }

    private static string? FamilyFromIdLike(string idLike) =>
        idLike.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(like => OsNames.GetValueOrDefault(like))
            .Where(name => name is not null)
            .Select(name => Families.GetValueOrDefault(name!))
            .FirstOrDefault(f => f is not null);

    /// <summary>Parses os-release's shell-style <c>KEY="value"</c> lines.</summary>
    internal static Dictionary<string, string> Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var eq = line.IndexOf('=');
            if (line.StartsWith('#') || eq <= 0)
            {
                continue;
            }
            var value = line[(eq + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\$", "$", StringComparison.Ordinal);
            }
            values[line[..eq]] = value;
        }
        return values;
    }
}

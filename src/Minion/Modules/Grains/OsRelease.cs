using System.Text.RegularExpressions;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>
/// The distribution files Salt reads for the OS grains: <c>/etc/os-release</c> (as Python's
/// <c>platform.freedesktop_os_release</c> parses it), <c>/etc/lsb-release</c> (core.py <c>_parse_lsb_release</c>) and the
/// <c>/etc/*-release</c> file that the <c>distro</c> library falls back on.
/// </summary>
internal static partial class OsRelease
{
    // Files in /etc that end in -release but describe no distribution (distro's _DISTRO_RELEASE_IGNORE_BASENAMES).
    private static readonly HashSet<string> IgnoredReleaseFiles = new(StringComparer.Ordinal)
    {
        "debian_version", "lsb-release", "oem-release", "os-release", "system-release", "plesk-release", "iredmail-release",
    };

    /// <summary>The os-release keys, with Python's defaults for NAME, ID and PRETTY_NAME; null when neither file exists.</summary>
    public static Dictionary<string, string>? ReadOsRelease(GrainContext context)
    {
        var text = context.ReadHostFile("/etc/os-release") ?? context.ReadHostFile("/usr/lib/os-release");
        return text is null ? null : ParseOsRelease(text);
    }

    public static Dictionary<string, string> ParseOsRelease(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["NAME"] = "Linux", ["ID"] = "linux", ["PRETTY_NAME"] = "Linux" };
        foreach (var line in text.Split('\n'))
        {
            var match = OsReleaseLine().Match(line.TrimEnd('\r'));
            if (match.Success)
            {
                values[match.Groups["name"].Value] = OsReleaseEscape().Replace(match.Groups["value"].Value, "$1");
            }
        }
        return values;
    }

    /// <summary>The <c>lsb_distrib_*</c> grains from <c>/etc/lsb-release</c>, as Salt's regex reads them (values stop at other characters).</summary>
    public static Dictionary<string, object?> ReadLsbRelease(GrainContext context)
    {
        var grains = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var line in (context.ReadHostFile("/etc/lsb-release") ?? string.Empty).Split('\n'))
        {
            var match = LsbLine().Match(line.TrimEnd('\r'));
            if (match.Success)
            {
                grains["lsb_" + match.Groups[1].Value.ToLowerInvariant()] = match.Groups[2].Value.TrimEnd();
            }
        }
        return grains;
    }

    /// <summary>
    /// What the <c>distro</c> library's <c>linux_distribution(full_distribution_name=False)</c> gives Salt's legacy path:
    /// the release (the candidate with the most dots: os-release VERSION_ID, the <c>/etc/*-release</c> file, PRETTY_NAME) and the codename.
    /// </summary>
    public static (string Id, string Version, string Codename) Distro(GrainContext context, IReadOnlyDictionary<string, string>? osRelease)
    {
        var releaseFile = ReadDistroReleaseFile(context);
        var candidates = new[]
        {
            osRelease?.GetValueOrDefault("VERSION_ID") ?? string.Empty,
            releaseFile.Version,
            osRelease?.GetValueOrDefault("PRETTY_NAME") is { } pretty ? ParseReleaseLine(pretty).Version : string.Empty,
        };
        var version = string.Empty;
        foreach (var candidate in candidates)
        {
            if (version.Length == 0 || candidate.Count(c => c == '.') > version.Count(c => c == '.'))
            {
                version = candidate;
            }
        }
        var codename = osRelease is null ? string.Empty : OsReleaseCodename(osRelease);
        if (codename.Length == 0)
        {
            codename = releaseFile.Codename;
        }
        var id = osRelease?.GetValueOrDefault("ID")?.ToLowerInvariant().Replace(' ', '_') ?? releaseFile.Id;
        return (id, version, codename);
    }

    /// <summary>distro's os-release codename: VERSION_CODENAME, else UBUNTU_CODENAME, else the name in VERSION's parentheses (or after a comma).</summary>
    public static string OsReleaseCodename(IReadOnlyDictionary<string, string> osRelease)
    {
        if (osRelease.TryGetValue("VERSION_CODENAME", out var codename))
        {
            return codename;
        }
        if (osRelease.TryGetValue("UBUNTU_CODENAME", out codename))
        {
            return codename;
        }
        if (osRelease.TryGetValue("VERSION", out var version))
        {
            var match = VersionCodename().Match(version);
            if (match.Success)
            {
                return (match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value).Trim('(', ')').Trim();
            }
        }
        return string.Empty;
    }

    /// <summary>core.py <c>_parse_cpe_name</c>: vendor, product and version of an os-release CPE_NAME; empty when malformed.</summary>
    public static Dictionary<string, string?> ParseCpe(string? cpe)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        var parts = (cpe ?? string.Empty).Split(':');
        if (parts.Length <= 4 || parts[0] != "cpe")
        {
            return result;
        }
        string? Star(string value) => value == "*" ? null : value;
        if (parts[1].StartsWith('/'))
        {
            (result["vendor"], result["product"], result["version"]) = (parts[2], parts[3], parts[4]);
        }
        else if (parts[1] == "2.3" && parts.Length == 6)
        {
            (result["vendor"], result["product"], result["version"]) = (Star(parts[3]), Star(parts[4]), Star(parts[5]));
        }
        else if (parts[1] == "2.3" && parts.Length > 7 && parts.Length <= 13)
        {
            (result["vendor"], result["product"], result["version"]) = (Star(parts[3]), Star(parts[4]), Star(parts[5]));
        }
        return result;
    }

    private static (string Id, string Version, string Codename) ReadDistroReleaseFile(GrainContext context)
    {
        string[] files;
        try
        {
            files = Directory.GetFiles(context.HostPath("/etc"))
                .Select(Path.GetFileName)
                .OfType<string>()
                .Where(name => ReleaseFileName().IsMatch(name) && !IgnoredReleaseFiles.Contains(name))
                .Order(StringComparer.Ordinal)
                .ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (string.Empty, string.Empty, string.Empty);
        }
        foreach (var file in files)
        {
            var first = context.ReadHostFile("/etc/" + file)?.Split('\n')[0].Trim();
            if (string.IsNullOrEmpty(first))
            {
                continue;
            }
            var (version, codename) = ParseReleaseLine(first);
            return (ReleaseFileName().Match(file).Groups[1].Value.ToLowerInvariant(), version, codename);
        }
        return (string.Empty, string.Empty, string.Empty);
    }

    /// <summary>"CentOS Linux release 7.9.2009 (Core)" -> ("7.9.2009", "Core").</summary>
    internal static (string Version, string Codename) ParseReleaseLine(string line)
    {
        var match = ReleaseLine().Match(line);
        return match.Success ? (match.Groups["version"].Value, match.Groups["codename"].Value) : (string.Empty, string.Empty);
    }

    [GeneratedRegex("^(?<name>[a-zA-Z0-9_]+)=(?<quote>[\"']?)(?<value>.*)\\k<quote>$")]
    private static partial Regex OsReleaseLine();

    [GeneratedRegex("\\\\([\\\\$\"'`])")]
    private static partial Regex OsReleaseEscape();

    [GeneratedRegex("^(DISTRIB_(?:ID|RELEASE|CODENAME|DESCRIPTION))=(?:'|\")?([\\w\\s\\.\\-_]+)(?:'|\")?")]
    private static partial Regex LsbLine();

    [GeneratedRegex(@"\((\D+)\)|,\s*(\D+)")]
    private static partial Regex VersionCodename();

    [GeneratedRegex(@"^(\w+)[-_](release|version)$")]
    private static partial Regex ReleaseFileName();

    [GeneratedRegex(@"(?<version>\d[\d.+\-a-z]*)\s*(?:\((?<codename>[^)]*)\))?")]
    private static partial Regex ReleaseLine();
}

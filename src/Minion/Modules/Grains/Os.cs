using System.Globalization;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>
/// Distribution grains as Salt 3006's <c>_linux_distribution_data</c> derives them: <c>os</c>, <c>os_family</c>, <c>osfullname</c>,
/// <c>osrelease</c>, <c>oscodename</c>, <c>lsb_distrib_*</c>, then <c>osrelease_info</c>, <c>osmajorrelease</c> and <c>osfinger</c>.
/// </summary>
/// <remarks>
/// The distributions Salt has moved to os-release alone (Debian, Ubuntu, Mint, Pop, Rocky, AlmaLinux, Astra, Mendel) take every
/// value from <c>/etc/os-release</c>; the others go through Salt's legacy heuristics (lsb data, CPE_NAME, the distro release file).
/// <c>lsb_distrib_*</c> come from <c>/etc/lsb-release</c> only, as in Salt's onedir packages, whose Python has no
/// <c>lsb_release</c> module: so a Debian without that file has none, and Ubuntu has them.
/// </remarks>
public sealed class OsGrains : IGrainProvider
{
    private static readonly HashSet<string> OsReleaseOnly = new(StringComparer.Ordinal)
    {
        "almalinux", "astra", "debian", "linuxmint", "mendel", "pop", "rocky", "ubuntu",
    };

    public string Name => "os";

    public Task<Dictionary<string, object?>> CollectAsync(GrainContext context, CancellationToken cancellationToken)
    {
        var grains = OsReleaseGrains.Collect(context);
        if (grains.GetValueOrDefault("osrelease") is string { Length: > 0 } osrelease)
        {
            foreach (var (key, value) in ReleaseData((string)grains["os"]!, grains.GetValueOrDefault("osfullname") as string ?? "", osrelease))
            {
                grains[key] = value;
            }
        }
        return Task.FromResult(grains);
    }

    /// <summary>core.py <c>_osrelease_data</c>: <c>osrelease_info</c> (numbers where digits), <c>osmajorrelease</c>, <c>osfinger</c>.</summary>
    internal static Dictionary<string, object?> ReleaseData(string os, string osfullname, string osrelease)
    {
        var info = osrelease.Split('.')
            .Select(part => part.Length > 0 && part.All(char.IsAsciiDigit) ? (object?)long.Parse(part, CultureInfo.InvariantCulture) : part)
            .ToList();
        var grains = new Dictionary<string, object?>(StringComparer.Ordinal) { ["osrelease_info"] = info };
        if (info[0] is long major)
        {
            grains["osmajorrelease"] = major;
        }
        var name = os is "Debian" or "FreeBSD" or "OpenBSD" or "NetBSD" or "Mac" or "Raspbian" ? os : osfullname;
        var release = os is "Ubuntu" or "Pop" ? osrelease : Convert.ToString(info[0], CultureInfo.InvariantCulture);
        grains["osfinger"] = $"{name}-{release}";
        return grains;
    }

    /// <summary>Salt's os-release and legacy paths, before the release-derived grains.</summary>
    private static class OsReleaseGrains
    {
        public static Dictionary<string, object?> Collect(GrainContext context)
        {
            var grains = OsRelease.ReadLsbRelease(context);
            var osRelease = OsRelease.ReadOsRelease(context);
            if (osRelease is not null)
            {
                var id = osRelease["ID"];
                grains["os"] = OsNames.DeriveOs(osRelease["NAME"], id);
                grains["os_family"] = OsNames.FamilyFromOsRelease(id, osRelease.GetValueOrDefault("ID_LIKE"));
                grains["oscodename"] = NullIfEmpty(osRelease.GetValueOrDefault("VERSION_CODENAME")) ?? CodenameQuirk(osRelease);
                grains["osfullname"] = osRelease["NAME"].Trim();
                grains["osrelease"] = NullIfEmpty(osRelease.GetValueOrDefault("VERSION_ID")) ?? ReleaseQuirk(osRelease);
                if (OsReleaseOnly.Contains(id))
                {
                    return grains;
                }
                // The legacy code decides osrelease itself.
                grains.Remove("osrelease");
            }
            Legacy(context, grains, osRelease);
            return grains;
        }

        /// <summary>core.py <c>_legacy_linux_distribution_data</c> (Linux part; lsb_release's Python module is never there).</summary>
        private static void Legacy(GrainContext context, Dictionary<string, object?> grains, IReadOnlyDictionary<string, string>? osRelease)
        {
            if (grains.GetValueOrDefault("lsb_distrib_description") is string description
                && description.StartsWith("antergos", StringComparison.OrdinalIgnoreCase))
            {
                grains["osfullname"] = "Antergos Linux";
            }
            else if (!grains.ContainsKey("lsb_distrib_id") && osRelease is not null)
            {
                FromOsRelease(grains, osRelease);
            }
            else if (!grains.ContainsKey("lsb_distrib_id") && context.ReadHostFile("/etc/centos-release") is { } centos)
            {
                grains["lsb_distrib_id"] = "CentOS";
                foreach (var line in centos.Split('\n'))
                {
                    if (System.Text.RegularExpressions.Regex.Match(line, @"\d+\.\d+") is { Success: true } release)
                    {
                        grains["lsb_distrib_release"] = release.Value;
                    }
                    if (System.Text.RegularExpressions.Regex.Match(line, @"(?<=\()(.*?)(?=\))") is { Success: true } codename)
                    {
                        grains["lsb_distrib_codename"] = codename.Value;
                    }
                }
            }
            var (distroId, distroVersion, distroCodename) = OsRelease.Distro(context, osRelease);
            if (!grains.ContainsKey("osfullname"))
            {
                var lsbId = grains.GetValueOrDefault("lsb_distrib_id") as string;
                grains["osfullname"] = lsbId is not null && lsbId.StartsWith("nilrt", StringComparison.OrdinalIgnoreCase)
                    ? "nilrt"
                    : (lsbId ?? distroId).Trim();
            }
            if (!grains.ContainsKey("osrelease"))
            {
                // CentOS 7 and 8 give no minor release in os-release: Salt takes the distro's (from /etc/centos-release).
                var lsbCodename = grains.GetValueOrDefault("lsb_distrib_codename") as string ?? string.Empty;
                if (lsbCodename.Contains("CentOS Linux 7", StringComparison.Ordinal) || lsbCodename.Contains("CentOS Linux 8", StringComparison.Ordinal))
                {
                    grains.Remove("lsb_distrib_release");
                }
                grains["osrelease"] = (grains.GetValueOrDefault("lsb_distrib_release") as string ?? distroVersion).Trim();
            }
            var oscodename = (grains.GetValueOrDefault("lsb_distrib_codename") as string ?? string.Empty).Trim();
            oscodename = oscodename.Length > 0 ? oscodename : distroCodename;
            grains["oscodename"] = oscodename.Contains("Red Hat", StringComparison.Ordinal) ? distroCodename : oscodename;
            if (!grains.ContainsKey("os"))
            {
                grains["os"] = OsNames.DeriveOs((string)grains["osfullname"]!);
            }
            grains["os_family"] = OsNames.Family((string)grains["os"]!);
        }

        private static void FromOsRelease(Dictionary<string, object?> grains, IReadOnlyDictionary<string, string> osRelease)
        {
            grains["lsb_distrib_id"] = osRelease["NAME"].Trim();
            if (osRelease.TryGetValue("VERSION_ID", out var versionId))
            {
                grains["lsb_distrib_release"] = versionId;
            }
            if (osRelease.TryGetValue("VERSION_CODENAME", out var codename))
            {
                grains["lsb_distrib_codename"] = codename;
            }
            else if (osRelease.TryGetValue("PRETTY_NAME", out var pretty))
            {
                grains["lsb_distrib_codename"] = pretty;
            }
            if (osRelease.TryGetValue("CPE_NAME", out var cpeName))
            {
                var cpe = OsRelease.ParseCpe(cpeName);
                var vendor = cpe.GetValueOrDefault("vendor") ?? string.Empty;
                if (vendor.ToLowerInvariant() is "suse" or "opensuse")
                {
                    grains["os"] = "SUSE";
                    if (osRelease.GetValueOrDefault("NAME") == "openSUSE Leap")
                    {
                        grains["osfullname"] = "Leap";
                    }
                    else if (osRelease.GetValueOrDefault("VERSION") == "Tumbleweed")
                    {
                        grains["osfullname"] = "Tumbleweed";
                    }
                    // SLES keeps VERSION_ID; openSUSE takes the CPE's version.
                    if (cpe.GetValueOrDefault("version") is { Length: > 0 } cpeVersion && vendor == "opensuse")
                    {
                        grains["lsb_distrib_release"] = cpeVersion;
                    }
                }
            }
        }

        // core.py _os_release_quirks_for_oscodename: Astra reports its variant; Alma and Rocky name it only in VERSION.
        private static string? CodenameQuirk(IReadOnlyDictionary<string, string> osRelease) => osRelease["ID"] switch
        {
            "astra" => osRelease.GetValueOrDefault("VARIANT_ID"),
            "almalinux" or "rocky" => System.Text.RegularExpressions.Regex.Match(
                osRelease.GetValueOrDefault("VERSION", ""), @"^\d[\d.+\-a-z]* \((?<codename>.+)\)") is { Success: true } m
                ? m.Groups["codename"].Value
                : null,
            _ => null,
        };

        // core.py _os_release_quirks_for_osrelease: Mendel names its version only in PRETTY_NAME.
        private static string? ReleaseQuirk(IReadOnlyDictionary<string, string> osRelease) =>
            osRelease["ID"] == "mendel"
            && System.Text.RegularExpressions.Regex.Match(osRelease["PRETTY_NAME"], @"^[^\d]+ (?<version>\d[\d.+\-a-z]*) \((?<codename>.+)\)") is
                { Success: true } m
                ? m.Groups["version"].Value
                : null;

        private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
    }
}

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>Salt's tables from <c>salt/grains/core.py</c> (3006) that turn distribution names into the <c>os</c> and <c>os_family</c> grains.</summary>
internal static class OsNames
{
    // The first ten characters of the name (no spaces, lower case) -> os grain (core.py _OS_NAME_MAP).
    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.Ordinal)
    {
        ["redhatente"] = "RedHat", ["gentoobase"] = "Gentoo", ["archarm"] = "Arch ARM", ["arch"] = "Arch", ["debian"] = "Debian",
        ["Junos"] = "Junos", ["raspbian"] = "Raspbian", ["fedoraremi"] = "Fedora", ["chapeau"] = "Chapeau", ["korora"] = "Korora",
        ["amazonami"] = "Amazon", ["alt"] = "ALT", ["enterprise"] = "OEL", ["oracleserv"] = "OEL", ["cloudserve"] = "CloudLinux",
        ["cloudlinux"] = "CloudLinux", ["almalinux"] = "AlmaLinux", ["pidora"] = "Fedora", ["scientific"] = "ScientificLinux",
        ["synology"] = "Synology", ["nilrt"] = "NILinuxRT", ["poky"] = "Poky", ["manjaro"] = "Manjaro", ["manjarolin"] = "Manjaro",
        ["univention"] = "Univention", ["antergos"] = "Antergos", ["sles"] = "SUSE", ["void"] = "Void", ["slesexpand"] = "RES",
        ["linuxmint"] = "Mint", ["neon"] = "KDE neon", ["pop"] = "Pop", ["rocky"] = "Rocky", ["alibabaclo"] = "Alinux",
        ["mendel"] = "Mendel",
    };

    // (os-release ID, NAME) pairs kept for their historic os grain (core.py _ID_AND_NAME_TO_OS_NAME_MAP).
    private static readonly Dictionary<(string Id, string Name), string> IdAndName = new()
    {
        [("astra", "Astra Linux (Orel)")] = "AstraLinuxCE",
        [("astra", "Astra Linux (Smolensk)")] = "AstraLinuxSE",
        [("pop", "Pop!_OS")] = "Pop",
    };

    // os grain -> os_family grain (core.py _OS_FAMILY_MAP).
    private static readonly Dictionary<string, string> Families = new(StringComparer.Ordinal)
    {
        ["Ubuntu"] = "Debian", ["Fedora"] = "RedHat", ["Chapeau"] = "RedHat", ["Korora"] = "RedHat", ["FedBerry"] = "RedHat",
        ["CentOS"] = "RedHat", ["CentOS Stream"] = "RedHat", ["GoOSe"] = "RedHat", ["Scientific"] = "RedHat", ["Amazon"] = "RedHat",
        ["CloudLinux"] = "RedHat", ["AlmaLinux"] = "RedHat", ["OVS"] = "RedHat", ["OEL"] = "RedHat", ["XCP"] = "RedHat",
        ["XCP-ng"] = "RedHat", ["XenServer"] = "RedHat", ["RES"] = "RedHat", ["Sangoma"] = "RedHat", ["VMware Photon OS"] = "RedHat",
        ["Mandrake"] = "Mandriva", ["Mint"] = "Debian", ["VMwareESX"] = "VMware", ["Bluewhite64"] = "Bluewhite",
        ["Slamd64"] = "Slackware", ["SLES"] = "Suse", ["SUSE Enterprise Server"] = "Suse", ["SUSE  Enterprise Server"] = "Suse",
        ["SLED"] = "Suse", ["openSUSE"] = "Suse", ["SUSE"] = "Suse", ["openSUSE Leap"] = "Suse", ["openSUSE Tumbleweed"] = "Suse",
        ["SLES_SAP"] = "Suse", ["Arch ARM"] = "Arch", ["Manjaro"] = "Arch", ["Antergos"] = "Arch", ["EndeavourOS"] = "Arch",
        ["ALT"] = "RedHat", ["Trisquel"] = "Debian", ["GCEL"] = "Debian", ["Linaro"] = "Debian", ["elementary OS"] = "Debian",
        ["elementary"] = "Debian", ["Univention"] = "Debian", ["ScientificLinux"] = "RedHat", ["Raspbian"] = "Debian",
        ["Devuan"] = "Debian", ["antiX"] = "Debian", ["Kali"] = "Debian", ["Parrot OS"] = "Debian", ["neon"] = "Debian",
        ["Cumulus"] = "Debian", ["Deepin"] = "Debian", ["NILinuxRT"] = "NILinuxRT", ["KDE neon"] = "Debian", ["Void"] = "Void",
        ["IDMS"] = "Debian", ["Funtoo"] = "Gentoo", ["TurnKey"] = "Debian", ["Pop"] = "Debian", ["Rocky"] = "RedHat",
        ["AstraLinuxCE"] = "Debian", ["AstraLinuxSE"] = "Debian", ["Alinux"] = "RedHat", ["Mendel"] = "Debian", ["OSMC"] = "Debian",
    };

    /// <summary>core.py <c>_derive_os_grain</c>: the short os name Salt has always used for a distribution's full name.</summary>
    public static string DeriveOs(string fullName, string? osId = null)
    {
        if (osId is not null && IdAndName.TryGetValue((osId, fullName), out var known))
        {
            return known;
        }
        // _REPLACE_LINUX_RE: a non-word character followed by "linux" or "gnu/linux", case-insensitive.
        var distroName = System.Text.RegularExpressions.Regex.Replace(fullName, @"\W(?:gnu/)?linux", "",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase).Trim();
        var shortName = distroName.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        shortName = shortName[..Math.Min(10, shortName.Length)];
        return ShortNames.GetValueOrDefault(shortName, distroName);
    }

    /// <summary>The os_family of an os grain; the os itself when the table has none.</summary>
    public static string Family(string os) => Families.GetValueOrDefault(os, os);

    /// <summary>core.py <c>_family_id</c> then <c>_prettify_os_family</c>: the oldest ancestor in ID_LIKE, capitalized.</summary>
    public static string FamilyFromOsRelease(string id, string? idLike)
    {
        string familyId;
        if (string.IsNullOrEmpty(idLike))
        {
            familyId = id;
        }
        else
        {
            var ids = idLike.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Prepend(id).ToList();
            // Mint does not declare itself a Debian derivative.
            familyId = ids.Contains("debian") || ids.Contains("ubuntu") ? "debian" : ids[^1];
        }
        return familyId == "fedora" ? "RedHat" : Capitalize(familyId);
    }

    /// <summary>Python's <c>str.capitalize</c>: first character upper, the rest lower.</summary>
    public static string Capitalize(string value) =>
        value.Length == 0 ? value : char.ToUpperInvariant(value[0]) + value[1..].ToLowerInvariant();
}

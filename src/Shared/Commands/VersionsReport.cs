using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Orchestrator.Shared.Daemon;

namespace Orchestrator.Shared.Commands;

/// <summary>
/// <c>--versions-report</c>, laid out as Salt's (sections of right-aligned names), so a bug report reads the same: the
/// product, the Salt release whose behaviour it follows, the runtime, the libraries it ships with, and the system.
/// </summary>
public static class VersionsReport
{
    /// <summary>The Salt release whose formats and semantics the product follows (also the <c>saltversion</c> grain).</summary>
    public const string SaltCompatibility = "3006.1";

    private static readonly string[] Dependencies = ["NetMQ", "MessagePack", "YamlDotNet", "Serilog"];

    /// <summary>The whole report, as printed.</summary>
    public static string Build()
    {
        var sections = new List<(string Title, List<(string Name, string Value)> Rows)>
        {
            ("Orchestrator Version", [("Orchestrator", DaemonCommandLine.Version), ("Salt compatibility", SaltCompatibility)]),
            ("Runtime Versions", [(".NET", RuntimeInformation.FrameworkDescription), ("runtime", RuntimeInformation.RuntimeIdentifier)]),
            ("Dependency Versions", Dependencies.Select(d => (d, LibraryVersion(d))).ToList()),
            ("System Versions", SystemRows()),
        };
        var width = sections.SelectMany(s => s.Rows).Max(r => r.Name.Length) + 4;
        var text = new StringBuilder();
        foreach (var (title, rows) in sections)
        {
            text.Append(title).AppendLine(":");
            foreach (var (name, value) in rows)
            {
                text.Append(name.PadLeft(width)).Append(": ").AppendLine(value);
            }
            text.AppendLine();
        }
        return text.ToString().TrimEnd() + "\n";
    }

    private static string LibraryVersion(string name)
    {
        try
        {
            var assembly = Assembly.Load(new AssemblyName(name));
            return assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
                ?? assembly.GetName().Version?.ToString() ?? "unknown";
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            // The natively compiled CLI has only what it uses inside it; the daemons beside it ship the rest as files.
            var beside = Path.Combine(AppContext.BaseDirectory, name + ".dll");
            return File.Exists(beside) && System.Diagnostics.FileVersionInfo.GetVersionInfo(beside).ProductVersion is { Length: > 0 } version
                ? version.Split('+')[0]
                : "Not Installed";
        }
    }

    private static List<(string, string)> SystemRows()
    {
        var release = OsRelease();
        var id = release.GetValueOrDefault("ID", "");
        var version = release.GetValueOrDefault("VERSION_ID", "");
        var codename = release.GetValueOrDefault("VERSION_CODENAME", "");
        return
        [
            ("dist", string.Join(' ', new[] { id, version, codename }.Where(p => p.Length > 0))),
            ("locale", "utf-8"),
            ("machine", Uname("-m")),
            ("release", Uname("-r")),
            ("system", RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? "Linux" : RuntimeInformation.OSDescription),
            ("version", string.Join(' ', new[] { release.GetValueOrDefault("NAME", ""), version, codename }.Where(p => p.Length > 0))),
        ];
    }

    private static Dictionary<string, string> OsRelease()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = File.Exists("/etc/os-release") ? "/etc/os-release" : "/usr/lib/os-release";
        if (!File.Exists(path))
        {
            return values;
        }
        foreach (var line in File.ReadLines(path))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                values[line[..eq].Trim()] = line[(eq + 1)..].Trim().Trim('"', '\'');
            }
        }
        return values;
    }

    private static string Uname(string flag) => flag switch
    {
        // The kernel's own answers, without starting a process: /proc has them on Linux.
        "-r" when File.Exists("/proc/sys/kernel/osrelease") => File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
        "-m" => RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x86_64",
            Architecture.Arm64 => "aarch64",
            Architecture.X86 => "i686",
            var other => other.ToString().ToLowerInvariant(),
        },
        _ => Environment.OSVersion.Version.ToString(),
    };
}

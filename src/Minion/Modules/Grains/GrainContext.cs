using Orchestrator.Minion.Modules.Providers;

namespace Orchestrator.Minion.Modules.Grains;

/// <summary>What grain providers may look at: the minion's identity, its options, the host filesystem root and its commands.</summary>
public sealed class GrainContext
{
    // salt.utils.path.which appends these to PATH so a bare PATH still finds the system tools.
    private static readonly string[] ExtendedPath = ["/sbin", "/bin", "/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"];

    // A hung tool (a stuck dmidecode, a slow resolver behind systemd-detect-virt) must not hold up minion start-up.
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    public required string MinionId { get; init; }

    /// <summary>The filesystem root providers read (<c>/etc/os-release</c>, <c>/proc/meminfo</c>) under; "/" outside tests.</summary>
    public string Root { get; init; } = "/";

    /// <summary>The minion cache directory; when set, grains saved by <c>grains.setval</c> are loaded from it.</summary>
    public string? CacheDir { get; init; }

    /// <summary>The minion's configuration (Salt's opts).</summary>
    public IReadOnlyDictionary<string, object?> Opts { get; init; } = new Dictionary<string, object?>();

    /// <summary>Runs the host tools some grains come from (<c>systemctl --version</c>, <c>ip route</c>); tests pass a fake.</summary>
    public IProcessRunner ProcessRunner { get; init; } = new SystemProcessRunner();

    /// <summary>The PATH that <see cref="Which"/> searches (the minion's own by default).</summary>
    public string SearchPath { get; init; } = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;

    /// <summary>Maps an absolute host path (<c>/etc/os-release</c>) into <see cref="Root"/>.</summary>
    public string HostPath(string absolutePath) => Path.Combine(Root, absolutePath.TrimStart('/'));

    /// <summary>Reads a host file, or returns null when it is missing or unreadable.</summary>
    public string? ReadHostFile(string absolutePath)
    {
        try
        {
            return File.ReadAllText(HostPath(absolutePath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True when the host path exists as a file or a directory.</summary>
    public bool HostExists(string absolutePath) => File.Exists(HostPath(absolutePath)) || Directory.Exists(HostPath(absolutePath));

    /// <summary>
    /// Salt's <c>salt.utils.path.which</c>: an executable path given as is, else the first executable <c>dir/name</c> on PATH
    /// (plus the system directories), links followed for the test but the path returned unresolved. Null when there is none.
    /// </summary>
    public string? Which(string name)
    {
        if (name.Length == 0)
        {
            return null;
        }
        if (name.Contains('/'))
        {
            return IsExecutable(name.StartsWith('/') ? HostPath(name) : name) ? name : null;
        }
        var dirs = SearchPath.Split(':').ToList();
        dirs.AddRange(ExtendedPath.Where(d => !dirs.Contains(d)));
        foreach (var dir in dirs)
        {
            var candidate = Path.Combine(dir.Length == 0 ? "." : dir, name);
            if (IsExecutable(candidate.StartsWith('/') ? HostPath(candidate) : candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Runs a host command (no shell); null when it cannot be started, timed out, or the run was cancelled by its timeout.</summary>
    public async Task<ProcessResult?> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        try
        {
            var result = await ProcessRunner.RunAsync(new ProcessRequest(fileName, arguments) { Timeout = CommandTimeout }, cancellationToken)
                .ConfigureAwait(false);
            return result.TimedOut ? null : result;
        }
        catch (ModuleException)
        {
            return null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsExecutable(string path)
    {
        try
        {
            // File.Exists follows links, as os.path.isfile does.
            return File.Exists(path) && (OperatingSystem.IsWindows()
                || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

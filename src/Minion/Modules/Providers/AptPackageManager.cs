namespace Orchestrator.Minion.Modules.Providers;

/// <summary>Debian packages: <c>dpkg-query</c> to list, <c>apt-cache policy</c> for candidates, <c>apt-get</c> to change.</summary>
public sealed class AptPackageManager(IProcessRunner runner) : IPackageManager
{
    private static readonly IReadOnlyDictionary<string, string?> NonInteractive = new Dictionary<string, string?>
    {
        ["DEBIAN_FRONTEND"] = "noninteractive",
        ["APT_LISTBUGS_FRONTEND"] = "none",
        ["APT_LISTCHANGES_FRONTEND"] = "none",
    };

    private string? _nativeArch;

    public string Name => "apt";

    public async Task<IReadOnlyDictionary<string, string>> ListInstalledAsync(CancellationToken cancellationToken)
    {
        var native = await NativeArchAsync(cancellationToken).ConfigureAwait(false);
        var result = await RunAsync(
            "dpkg-query",
            ["--showformat=${Status}\t${Package}\t${Version}\t${Architecture}\n", "-W"],
            cancellationToken).ConfigureAwait(false);
        var packages = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var cols = line.Split('\t');
            if (cols.Length < 4 || !cols[0].EndsWith(" installed", StringComparison.Ordinal))
            {
                continue;
            }
            var name = cols[3] is "all" || cols[3] == native || cols[3].Length == 0 ? cols[1] : $"{cols[1]}:{cols[3]}";
            packages[name] = cols[2];
        }
        return packages;
    }

    public async Task<string?> CandidateVersionAsync(string name, CancellationToken cancellationToken)
    {
        var result = await RunAsync("apt-cache", ["-q", "policy", name], cancellationToken).ConfigureAwait(false);
        foreach (var line in result.Stdout.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("Candidate:", StringComparison.Ordinal))
            {
                var version = trimmed["Candidate:".Length..].Trim();
                return version is "(none)" or "" ? null : version;
            }
        }
        return null;
    }

    public Task<ProcessResult> InstallAsync(IReadOnlyList<string> targets, PackageInstallOptions options, CancellationToken cancellationToken)
    {
        List<string> arguments = ["-q", "-y", "-o", "DPkg::Options::=--force-confold", "-o", "DPkg::Options::=--force-confdef"];
        if (options.Reinstall)
        {
            arguments.Add("--reinstall");
        }
        if (options.FromRepo is { Length: > 0 } repo)
        {
            arguments.AddRange(["-t", repo]);
        }
        if (options.SkipVerify)
        {
            arguments.Add("--allow-unauthenticated");
        }
        if (options.DownloadOnly)
        {
            arguments.Add("--download-only");
        }
        arguments.Add("install");
        arguments.AddRange(targets);
        return RunAsync("apt-get", arguments, cancellationToken);
    }

    public Task<ProcessResult> RemoveAsync(IReadOnlyList<string> targets, bool purge, CancellationToken cancellationToken) =>
        RunAsync("apt-get", ["-q", "-y", purge ? "purge" : "remove", .. targets], cancellationToken);

    public async Task<Dictionary<string, object?>> RefreshAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync("apt-get", ["-q", "update"], cancellationToken).ConfigureAwait(false);
        var sources = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // "Hit:1 http://deb.debian.org/debian bookworm InRelease"
            var cols = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cols.Length < 2)
            {
                continue;
            }
            var source = string.Join(' ', cols.Skip(1).TakeWhile(c => c != "[" && !c.StartsWith('[')));
            if (cols[0].StartsWith("Get", StringComparison.Ordinal))
            {
                sources[source] = true;
            }
            else if (cols[0].StartsWith("Hit", StringComparison.Ordinal))
            {
                sources[source] = null;
            }
            else if (cols[0].StartsWith("Ign", StringComparison.Ordinal) || cols[0].StartsWith("Err", StringComparison.Ordinal))
            {
                sources[source] = false;
            }
        }
        if (result.ExitCode != 0 && sources.Count == 0)
        {
            throw new ModuleException($"Error getting repos: {FirstLine(result.Stderr)}");
        }
        return sources;
    }

    private async Task<string> NativeArchAsync(CancellationToken cancellationToken)
    {
        if (_nativeArch is null)
        {
            var result = await RunAsync("dpkg", ["--print-architecture"], cancellationToken).ConfigureAwait(false);
            _nativeArch = result.Stdout.Trim();
        }
        return _nativeArch;
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? string.Empty;

    private Task<ProcessResult> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        runner.RunAsync(new ProcessRequest(tool, arguments) { Environment = NonInteractive }, cancellationToken);
}

using System.Globalization;
using Orchestrator.Minion.Modules.Providers;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>Salt's <c>pkg</c> module, backed by the host's <see cref="IPackageManager"/> (apt/dpkg).</summary>
/// <remarks>Changing functions return Salt's <c>{name: {old, new}}</c>, computed by listing packages before and after.</remarks>
[ExecutionModule("pkg")]
public sealed class PkgModule : IExecutionModule
{
    private readonly Func<IPackageManager> _manager;

    /// <param name="manager">Resolves the package provider on first use.</param>
    /// <param name="runner">Runs apt-get/apt-key/gpg for the repository functions; null uses the host's.</param>
    /// <param name="root">Host root of the APT sources files; "/" outside tests.</param>
    public PkgModule(Func<IPackageManager> manager, IProcessRunner? runner = null, string root = "/")
    {
        _manager = manager;
        Functions =
        [
            .. new PkgRepo(runner ?? new SystemProcessRunner(), root).Functions(),
            new("install", "Install a package (name, optionally version=) or several (pkgs=[foo, {bar: 1.2}]); refresh=True updates the " +
                "package database first. Returns {name: {old, new}} for what changed.\n\n" +
                "CLI Example: orch '*' pkg.install vim\norch '*' pkg.install pkgs='[\"foo\", {\"bar\": \"1.2.3-4\"}]'",
                [Opt("name"), Opt("refresh", false), Opt("fromrepo"), Opt("skip_verify", false), Opt("debconf"), Opt("pkgs"), Opt("sources"),
                 Opt("reinstall", false), Opt("downloadonly", false), Opt("ignore_epoch", false), Opt("version")], InstallAsync,
                AcceptsExtraArgs: true),
            new("latest_version", "Return the version that would be installed or upgraded to, or '' when the latest is already installed. " +
                "Several names return a dict. refresh (default True) updates the package database first.\n\nCLI Example: orch '*' pkg.latest_version <package name>",
                [], LatestVersionAsync, AcceptsExtraArgs: true),
            new("list_pkgs", "List installed packages as {name: version} (versions_as_list=True gives lists).\n\nCLI Example: orch '*' pkg.list_pkgs",
                [Opt("versions_as_list", false), Opt("removed", false), Opt("purge_desired", false)], ListPkgsAsync, AcceptsExtraArgs: true),
            new("purge", "Remove packages and their configuration files; returns {name: {old, new}}.\n\nCLI Example: orch '*' pkg.purge <package name>",
                [Opt("name"), Opt("pkgs")], (c, t) => RemoveAsync(c, purge: true, t), AcceptsExtraArgs: true),
            new("refresh_db", "Update the package database; returns {source: True (fetched) | None (unchanged) | False (failed)}.\n\n" +
                "CLI Example: orch '*' pkg.refresh_db", [Opt("cache_valid_time", 0L), Opt("failhard", false)], RefreshDbAsync, AcceptsExtraArgs: true),
            new("remove", "Remove packages (name, or pkgs list); returns {name: {old, new}}.\n\nCLI Example: orch '*' pkg.remove <package name>",
                [Opt("name"), Opt("pkgs")], (c, t) => RemoveAsync(c, purge: false, t), AcceptsExtraArgs: true),
            new("upgrade_available", "Return True if an upgrade is available for the package; refresh (default True) updates the package database first.\n\nCLI Example: orch '*' pkg.upgrade_available <package name>",
                [Req("name"), Opt("refresh", true)], UpgradeAvailableAsync),
            new("version", "Return the installed version of a package ('' if not installed); several names return a dict.\n\n" +
                "CLI Example: orch '*' pkg.version <package1> <package2>", [], VersionAsync, AcceptsExtraArgs: true),
        ];
    }

    public string Doc => "Support for APT (Advanced Packaging Tool): list, install, remove and upgrade packages.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private async Task<object?> ListPkgsAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var installed = await _manager().ListInstalledAsync(cancellationToken).ConfigureAwait(false);
        var asList = call.GetBool("versions_as_list");
        return installed.ToDictionary(kv => kv.Key, kv => asList ? new List<object?> { kv.Value } : (object?)kv.Value, StringComparer.Ordinal);
    }

    private async Task<object?> VersionAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var names = Names(call.ExtraArgs);
        if (names.Count == 0)
        {
            throw new ModuleException("pkg.version: at least one package name is required");
        }
        var installed = await _manager().ListInstalledAsync(cancellationToken).ConfigureAwait(false);
        if (names.Count == 1)
        {
            return installed.GetValueOrDefault(names[0], string.Empty);
        }
        return names.ToDictionary(n => n, n => (object?)installed.GetValueOrDefault(n, string.Empty), StringComparer.Ordinal);
    }

    private async Task<object?> LatestVersionAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var names = Names(call.ExtraArgs);
        if (names.Count == 0)
        {
            throw new ModuleException("pkg.latest_version: at least one package name is required");
        }
        var manager = _manager();
        if (IsTrue(call.ExtraKwargs.GetValueOrDefault("refresh", true)))
        {
            await manager.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        var installed = await manager.ListInstalledAsync(cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var candidate = await manager.CandidateVersionAsync(name, cancellationToken).ConfigureAwait(false);
            result[name] = candidate is null || installed.GetValueOrDefault(name) == candidate ? string.Empty : candidate;
        }
        return names.Count == 1 ? result[names[0]] : result;
    }

    private async Task<object?> UpgradeAvailableAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var manager = _manager();
        if (call.GetBool("refresh"))
        {
            await manager.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        var name = call.RequireString("name");
        var installed = await manager.ListInstalledAsync(cancellationToken).ConfigureAwait(false);
        var candidate = await manager.CandidateVersionAsync(name, cancellationToken).ConfigureAwait(false);
        return installed.TryGetValue(name, out var current) && candidate is not null && current != candidate;
    }

    private async Task<object?> RefreshDbAsync(ModuleCall call, CancellationToken cancellationToken) =>
        await _manager().RefreshAsync(cancellationToken).ConfigureAwait(false);

    private async Task<object?> InstallAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var targets = new List<string>();
        if (call.GetList("pkgs") is { } pkgs)
        {
            foreach (var pkg in pkgs)
            {
                switch (pkg)
                {
                    case Dictionary<string, object?> pinned:
                        targets.AddRange(pinned.Select(kv => kv.Value is null ? kv.Key : $"{kv.Key}={Text(kv.Value)}"));
                        break;
                    case not null:
                        targets.Add(Text(pkg));
                        break;
                }
            }
        }
        else if (call.GetString("name") is { } name)
        {
            targets.Add(call.GetString("version") is { Length: > 0 } version ? $"{name}={version}" : name);
        }
        if (call.GetList("sources") is { Count: > 0 })
        {
            throw new ModuleException("pkg.install: 'sources' is not supported by this minion");
        }
        if (targets.Count == 0)
        {
            throw new ModuleException("pkg.install: no packages specified (use name or pkgs)");
        }
        var manager = _manager();
        if (call.GetBool("refresh"))
        {
            await manager.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        var before = await manager.ListInstalledAsync(cancellationToken).ConfigureAwait(false);
        var options = new PackageInstallOptions
        {
            Reinstall = call.GetBool("reinstall"),
            FromRepo = call.GetString("fromrepo"),
            SkipVerify = call.GetBool("skip_verify"),
            DownloadOnly = call.GetBool("downloadonly"),
        };
        var result = await manager.InstallAsync(targets, options, cancellationToken).ConfigureAwait(false);
        var after = await manager.ListInstalledAsync(cancellationToken).ConfigureAwait(false);
        var changes = Changes(before, after);
        if (result.ExitCode != 0)
        {
            throw new ModuleException($"Error occurred installing package(s): {Errors(result)}");
        }
        return changes;
    }

    private async Task<object?> RemoveAsync(ModuleCall call, bool purge, CancellationToken cancellationToken)
    {
        var names = call.GetList("pkgs") is { } pkgs ? Names(pkgs) : call.GetString("name") is { } name ? Names([.. name.Split(',')]) : [];
        if (names.Count == 0)
        {
            throw new ModuleException($"pkg.{(purge ? "purge" : "remove")}: no packages specified (use name or pkgs)");
        }
        var manager = _manager();
        var before = await manager.ListInstalledAsync(cancellationToken).ConfigureAwait(false);
        // Purging also clears packages already removed with their config left behind, which list as not installed.
        var targets = purge ? names : names.Where(before.ContainsKey).ToList();
        if (targets.Count == 0)
        {
            return new Dictionary<string, object?>();
        }
        var result = await manager.RemoveAsync(targets, purge, cancellationToken).ConfigureAwait(false);
        var after = await manager.ListInstalledAsync(cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new ModuleException($"Error occurred removing package(s): {Errors(result)}");
        }
        return Changes(before, after);
    }

    /// <summary>Salt's <c>data.compare_dicts</c>: every name whose version differs, with '' for absent.</summary>
    private static Dictionary<string, object?> Changes(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after)
    {
        var changes = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var name in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var old = before.GetValueOrDefault(name, string.Empty);
            var @new = after.GetValueOrDefault(name, string.Empty);
            if (old != @new)
            {
                changes[name] = new Dictionary<string, object?> { ["old"] = old, ["new"] = @new };
            }
        }
        return changes;
    }

    private static string Errors(ProcessResult result)
    {
        var lines = (result.Stderr + "\n" + result.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = lines.Where(l => l.StartsWith("E:", StringComparison.Ordinal)).ToList();
        return string.Join("; ", errors.Count > 0 ? errors : lines.TakeLast(3));
    }

    private static List<string> Names(IEnumerable<object?> values) =>
        values.Where(v => v is not null).Select(v => Text(v).Trim()).Where(s => s.Length > 0).ToList();

    private static string Text(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;

    private static bool IsTrue(object? value) => value switch
    {
        bool b => b,
        string s => s.Equals("true", StringComparison.OrdinalIgnoreCase) || s == "1",
        long l => l != 0,
        _ => false,
    };
}

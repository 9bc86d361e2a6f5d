using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>pkg</c> states over <c>pkg.list_pkgs</c>, <c>pkg.install</c>, <c>pkg.remove</c> and <c>pkg.latest_version</c>.</summary>
[StateModule("pkg")]
public sealed class PkgState : IStateModule, IWatchable
{
    private static readonly FunctionParameter[] _name = [FunctionParameter.Req("name")];

    public string Doc => "Install, upgrade and remove packages.";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("installed", _name, InstalledAsync, "Makes sure packages are installed (name, or pkgs list; optional version)."),
        new("removed", _name, RemovedAsync, "Makes sure packages are not installed."),
        new("purged", _name, RemovedAsync, "Makes sure packages and their configuration are removed."),
        new("latest", _name, LatestAsync, "Makes sure packages are installed at their newest available version."),
    ];

    // Desired packages: name -> version (null = any).
    private static List<(string Name, string? Version)> Targets(StateCall c)
    {
        if (c.GetList("pkgs") is { Count: > 0 } pkgs)
        {
            return pkgs.Select(p => p is Dictionary<string, object?> { Count: > 0 } d
                ? (d.Keys.First(), d.Values.First() is { } v ? PyText.Str(v) : null)
                : (PyText.Str(p), (string?)null)).ToList();
        }
        return [(c.Name, c.GetString("version"))];
    }

    private static async Task<Dictionary<string, object?>> ListAsync(StateCall c, CancellationToken ct) =>
        await StateInvoke.CallAsync(c, "pkg.list_pkgs", [], null, ct).ConfigureAwait(false) as Dictionary<string, object?>
        ?? new Dictionary<string, object?>(StringComparer.Ordinal);

    private static bool Satisfied(Dictionary<string, object?> installed, string name, string? version) =>
        installed.TryGetValue(name, out var v) && (version is null || PyText.Str(v) == version
            || (v is List<object?> versions && versions.Any(x => PyText.Str(x) == version)));

    private static Dictionary<string, object?> InstallArgs(StateCall c, List<(string Name, string? Version)> wanted)
    {
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (c.Has("pkgs"))
        {
            kwargs["pkgs"] = wanted.Select(w => w.Version is null ? (object?)w.Name : new Dictionary<string, object?> { [w.Name] = w.Version }).ToList();
        }
        else
        {
            kwargs["name"] = c.Name;
            if (wanted.Count == 1 && wanted[0].Version is { } version)
            {
                kwargs["version"] = version;
            }
        }
        foreach (var key in new[] { "refresh", "fromrepo", "skip_verify" })
        {
            if (c.Has(key))
            {
                kwargs[key] = c[key];
            }
        }
        return kwargs;
    }

    private static async Task<StateReturn> InstalledAsync(StateCall c, CancellationToken ct)
    {
        var targets = Targets(c);
        var installed = await ListAsync(c, ct).ConfigureAwait(false);
        // A single name is packed into pkgs by Salt, so it gets the same comments as a list.
        targets = await ResolveLatestAsync(c, targets, installed, ct).ConfigureAwait(false);
        var missing = targets.Where(t => !Satisfied(installed, t.Name, t.Version)).ToList();
        if (missing.Count == 0)
        {
            var atVersion = targets.Any(t => t.Version is not null) ? " and are at the desired version" : string.Empty;
            return StateReturn.Ok(c.Name, $"All specified packages are already installed{atVersion}");
        }
        if (c.Test)
        {
            // Salt's test run lists the target names only and reports each as newly installed.
            var pending = StateReturn.Pending(c.Name, $"The following packages would be installed/updated: {string.Join(", ", missing.Select(m => m.Name))}");
            foreach (var (name, _) in missing)
            {
                pending.Changes[name] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["new"] = "installed", ["old"] = string.Empty };
            }
            return pending;
        }
        var names = string.Join(", ", missing.Select(m => m.Version is null ? m.Name : $"{m.Name}={m.Version}"));
        var changes = await StateInvoke.CallAsync(c, "pkg.install", [], InstallArgs(c, targets), ct).ConfigureAwait(false) as Dictionary<string, object?>
            ?? new Dictionary<string, object?>(StringComparer.Ordinal);
        var after = await ListAsync(c, ct).ConfigureAwait(false);
        var failed = missing.Where(t => !Satisfied(after, t.Name, t.Version)).ToList();
        var ret = new StateReturn { Name = c.Name, Changes = changes, Result = failed.Count == 0 };
        ret.Comment = failed.Count == 0
            ? $"The following packages were installed/updated: {names}"
            : $"The following packages failed to install/update: {string.Join(", ", failed.Select(f => f.Name))}";
        return ret;
    }

    // Salt resolves version "latest" with pkg.latest_version: an empty answer means the installed version is the newest
    // one (or, when the package is not installed, that any version will do).
    private static async Task<List<(string Name, string? Version)>> ResolveLatestAsync(
        StateCall c, List<(string Name, string? Version)> targets, Dictionary<string, object?> installed, CancellationToken ct)
    {
        var wantsLatest = targets.Where(t => t.Version == "latest").Select(t => t.Name).ToList();
        if (wantsLatest.Count == 0)
        {
            return targets;
        }
        var latest = await StateInvoke.CallAsync(c, "pkg.latest_version", wantsLatest.Cast<object?>().ToList(), null, ct).ConfigureAwait(false);
        string? Resolved(string name)
        {
            var value = latest switch
            {
                Dictionary<string, object?> d => d.GetValueOrDefault(name),
                var single when wantsLatest.Count == 1 => single,
                _ => null,
            };
            if (value is not null && PyText.Str(value).Length > 0)
            {
                return PyText.Str(value);
            }
            return installed.GetValueOrDefault(name) switch
            {
                null => null,
                List<object?> versions when versions.Count > 0 => PyText.Str(versions[^1]),
                var v => PyText.Str(v),
            };
        }
        return targets.Select(t => t.Version == "latest" ? (t.Name, Resolved(t.Name)) : t).ToList();
    }

    private static async Task<StateReturn> RemovedAsync(StateCall c, CancellationToken ct)
    {
        var targets = Targets(c);
        var installed = await ListAsync(c, ct).ConfigureAwait(false);
        var present = targets.Where(t => installed.ContainsKey(t.Name)).Select(t => t.Name).ToList();
        if (present.Count == 0)
        {
            return StateReturn.Ok(c.Name, "All specified packages are already absent");
        }
        if (c.Test)
        {
            return StateReturn.Pending(c.Name, $"The following packages will be {(c.Function == "purged" ? "purged" : "removed")}: {string.Join(", ", present)}");
        }
        var kwargs = c.Has("pkgs")
            ? new Dictionary<string, object?>(StringComparer.Ordinal) { ["pkgs"] = present.Cast<object?>().ToList() }
            : new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = c.Name };
        var changes = await StateInvoke.CallAsync(c, c.Function == "purged" ? "pkg.purge" : "pkg.remove", [], kwargs, ct).ConfigureAwait(false)
            as Dictionary<string, object?> ?? new Dictionary<string, object?>(StringComparer.Ordinal);
        var after = await ListAsync(c, ct).ConfigureAwait(false);
        var left = present.Where(after.ContainsKey).ToList();
        return new StateReturn
        {
            Name = c.Name,
            Changes = changes,
            Result = left.Count == 0,
            Comment = left.Count == 0 ? "All targeted packages were removed." : $"The following packages failed to be removed: {string.Join(", ", left)}",
        };
    }

    private static async Task<StateReturn> LatestAsync(StateCall c, CancellationToken ct)
    {
        var targets = Targets(c).Select(t => t.Name).ToList();
        var installed = await ListAsync(c, ct).ConfigureAwait(false);
        var latest = await StateInvoke.CallAsync(c, "pkg.latest_version", targets.Cast<object?>().ToList(), null, ct).ConfigureAwait(false);
        string? Avail(string name) => latest switch
        {
            Dictionary<string, object?> d => d.GetValueOrDefault(name) is { } v && PyText.Str(v).Length > 0 ? PyText.Str(v) : null,
            string s when targets.Count == 1 && s.Length > 0 => s,
            _ => null,
        };
        var upgrade = targets.Where(t => !installed.ContainsKey(t) || Avail(t) is not null).ToList();
        if (upgrade.Count == 0)
        {
            return StateReturn.Ok(c.Name, targets.Count == 1 ? $"Package {c.Name} is already up-to-date" : "All packages are up-to-date");
        }
        var names = string.Join(", ", upgrade);
        if (c.Test)
        {
            return StateReturn.Pending(c.Name, $"The following packages would be installed/upgraded: {names}");
        }
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal) { ["pkgs"] = upgrade.Cast<object?>().ToList() };
        var changes = await StateInvoke.CallAsync(c, "pkg.install", [], kwargs, ct).ConfigureAwait(false) as Dictionary<string, object?>
            ?? new Dictionary<string, object?>(StringComparer.Ordinal);
        var after = await ListAsync(c, ct).ConfigureAwait(false);
        var failed = upgrade.Where(t => !after.ContainsKey(t)).ToList();
        return new StateReturn
        {
            Name = c.Name,
            Changes = changes,
            Result = failed.Count == 0,
            Comment = failed.Count == 0
                ? $"The following packages were successfully installed/upgraded: {names}"
                : $"The following packages failed to update: {string.Join(", ", failed)}",
        };
    }

    public Task<StateReturn> ModWatchAsync(StateCall call, CancellationToken cancellationToken) => call.Sfun switch
    {
        "installed" => InstalledAsync(call, cancellationToken),
        "latest" => LatestAsync(call, cancellationToken),
        "removed" or "purged" => RemovedAsync(call, cancellationToken),
        _ => Task.FromResult(StateReturn.Fail(call.Name, $"pkg.{call.Sfun} does not work with the watch requisite")),
    };
}

using System.Text;
using Orchestrator.Minion.Beacons;
using BeaconConfigTree = Orchestrator.Minion.Beacons.BeaconData;
using Orchestrator.Shared.Data;
using Orchestrator.Shared.Rendering;
using Orchestrator.Shared.Rendering.Yaml;
using static Orchestrator.Minion.Modules.FunctionParameter;

namespace Orchestrator.Minion.Modules.Execution;

/// <summary>
/// Salt's <c>beacons</c> module: lists, adds, changes, enables, disables and saves the minion's beacons at run time. Each
/// change fires Salt's completion event on the minion's bus (<c>/salt/minion/minion_beacon_add_complete</c>...) and
/// <c>salt/minion/&lt;id&gt;/beacons_&lt;function&gt;_complete</c> on the master's.
/// </summary>
[ExecutionModule("beacons")]
public sealed class BeaconsModule : IExecutionModule
{
    public BeaconsModule()
    {
        Functions =
        [
            new("add", "Add a beacon on the minion; beacon_data is its configuration in Salt's list-of-dicts form.\n\n" +
                "CLI Example: orch '*' beacons.add ps \"[{'processes': {'salt-master': 'stopped', 'apache2': 'stopped'}}]\"",
                [Req("name"), Req("beacon_data"), Opt("test", false)], AddAsync, AcceptsExtraArgs: true),
            new("delete", "Delete a beacon item.\n\nCLI Example: orch '*' beacons.delete ps",
                [Req("name"), Opt("test", false)], DeleteAsync, AcceptsExtraArgs: true),
            new("disable", "Disable all beacons on the minion.\n\nCLI Example: orch '*' beacons.disable",
                [Opt("test", false)], (c, t) => SwitchAllAsync(c, enable: false, t), AcceptsExtraArgs: true),
            new("disable_beacon", "Disable one beacon on the minion.\n\nCLI Example: orch '*' beacons.disable_beacon ps",
                [Req("name"), Opt("test", false)], (c, t) => SwitchOneAsync(c, enable: false, t), AcceptsExtraArgs: true),
            new("enable", "Enable all beacons on the minion.\n\nCLI Example: orch '*' beacons.enable",
                [Opt("test", false)], (c, t) => SwitchAllAsync(c, enable: true, t), AcceptsExtraArgs: true),
            new("enable_beacon", "Enable one beacon on the minion.\n\nCLI Example: orch '*' beacons.enable_beacon ps",
                [Req("name"), Opt("test", false)], (c, t) => SwitchOneAsync(c, enable: true, t), AcceptsExtraArgs: true),
            new("list", "List the beacons configured on the minion (YAML text unless return_yaml=False); include_pillar and " +
                "include_opts choose the sources.\n\nCLI Example: orch '*' beacons.list",
                [Opt("return_yaml", true), Opt("include_pillar", true), Opt("include_opts", true)], ListAsync, AcceptsExtraArgs: true),
            new("list_available", "List the beacon modules available on the minion (YAML text unless return_yaml=False).\n\n" +
                "CLI Example: orch '*' beacons.list_available", [Opt("return_yaml", true)], ListAvailableAsync, AcceptsExtraArgs: true),
            new("modify", "Replace the configuration of an existing beacon; returns the diff in changes.\n\n" +
                "CLI Example: orch '*' beacons.modify ps \"[{'processes': {'salt-master': 'stopped'}}]\"",
                [Req("name"), Req("beacon_data"), Opt("test", false)], ModifyAsync, AcceptsExtraArgs: true),
            new("reset", "Reset the minion's beacon configuration (pillar beacons stay).\n\nCLI Example: orch '*' beacons.reset",
                [Opt("test", false)], ResetAsync, AcceptsExtraArgs: true),
            new("save", "Save the minion's beacons (not pillar's) to minion.d/beacons.conf, read back at start.\n\n" +
                "CLI Example: orch '*' beacons.save", [], SaveAsync, AcceptsExtraArgs: true),
        ];
    }

    public string Doc => "Manage the minion's beacons at run time: list, add, modify, delete, enable, disable, save.";

    public IReadOnlyList<ModuleFunction> Functions { get; }

    private static BeaconManager Manager(ModuleCall call) =>
        call.Context.Beacons ?? throw new ModuleException("beacons do not run in this context (orch call --local has no minion daemon)");

    private static Dictionary<string, object?> Result(ModuleCall call, bool result, string comment)
    {
        if (!result)
        {
            call.Retcode = 1;
        }
        return new Dictionary<string, object?>(StringComparer.Ordinal) { ["comment"] = comment, ["result"] = result };
    }

    private static Dictionary<string, object?> Data(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static object Yaml(object? beacons) => BeaconsFile.Yaml(Data(("beacons", beacons)));

    /// <summary>beacon_data as given: a list (or the older dict), or YAML text of one.</summary>
    private static object ReadBeaconData(ModuleCall call)
    {
        var value = call["beacon_data"];
        if (value is string text)
        {
            try
            {
                value = YamlLoader.Load(text);
            }
            catch (YamlLoadException e)
            {
                throw new ModuleException($"beacon_data is not valid YAML: {e.Message}");
            }
        }
        return value is List<object?> or Dictionary<string, object?>
            ? value
            : throw new ModuleException("beacon_data must be a list of mappings, such as \"[{'processes': {'nginx': 'running'}}]\"");
    }

    private static string BeaconModule(string name, object data) =>
        BeaconConfigTree.Flatten(data).GetValueOrDefault("beacon_module") as string ?? name;

    private static async Task<object?> ListAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var manager = Manager(call);
        var beacons = manager.List(call.GetBool("include_opts", true), call.GetBool("include_pillar", true));
        await manager.AnnounceAsync(call.Context.Events, "/salt/minion/minion_beacons_list_complete", "list",
            Data(("complete", true), ("beacons", beacons)), cancellationToken).ConfigureAwait(false);
        return call.GetBool("return_yaml", true) ? Yaml(beacons) : beacons;
    }

    private static async Task<object?> ListAvailableAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var manager = Manager(call);
        var available = manager.Available.Cast<object?>().ToList();
        await manager.AnnounceAsync(call.Context.Events, "/salt/minion/minion_beacons_list_available_complete", "list_available",
            Data(("complete", true), ("beacons", available)), cancellationToken).ConfigureAwait(false);
        if (available.Count == 0)
        {
            return Data(("beacons", new Dictionary<string, object?>()));
        }
        return call.GetBool("return_yaml", true) ? Yaml(available) : available;
    }

    /// <summary>Salt's validate_beacon step, with its completion event on the minion's bus.</summary>
    private static async Task<(bool Valid, string Comment)> ValidateAsync(
        ModuleCall call, BeaconManager manager, string name, object data, CancellationToken cancellationToken)
    {
        var (valid, comment) = manager.Validate(name, data);
        await manager.AnnounceAsync(call.Context.Events, "/salt/minion/minion_beacon_validation_complete", null,
            Data(("complete", true), ("vcomment", comment), ("valid", valid)), cancellationToken).ConfigureAwait(false);
        return (valid, comment);
    }

    private static async Task AnnounceChangeAsync(
        ModuleCall call, BeaconManager manager, string localTag, string operation, BeaconChange change, CancellationToken cancellationToken) =>
        await manager.AnnounceAsync(call.Context.Events, localTag, operation,
            Data(("complete", change.Complete), ("comment", change.Comment), ("beacons", change.Beacons)), cancellationToken).ConfigureAwait(false);

    private static async Task<object?> AddAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var manager = Manager(call);
        var name = call.RequireString("name");
        var data = ReadBeaconData(call);
        if (manager.List().ContainsKey(name))
        {
            return Result(call, true, $"Beacon {name} is already configured.");
        }
        var module = BeaconModule(name, data);
        if (!manager.Available.Contains(module))
        {
            return Result(call, false, $"Beacon \"{module}\" is not available.");
        }
        if (call.GetBool("test"))
        {
            return Result(call, true, $"Beacon: {name} would be added.");
        }
        var (valid, comment) = await ValidateAsync(call, manager, name, data, cancellationToken).ConfigureAwait(false);
        if (!valid)
        {
            return Result(call, false, $"Beacon {name} configuration invalid, not adding.\n{comment}");
        }
        var change = manager.Add(name, data);
        await AnnounceChangeAsync(call, manager, "/salt/minion/minion_beacon_add_complete", "add", change, cancellationToken).ConfigureAwait(false);
        return change.Complete && change.Beacons.ContainsKey(name)
            ? Result(call, true, $"Added beacon: {name}.")
            : Result(call, false, change.Comment);
    }

    private static async Task<object?> ModifyAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var manager = Manager(call);
        var name = call.RequireString("name");
        var data = ReadBeaconData(call);
        var current = manager.List();
        if (!current.TryGetValue(name, out var existing))
        {
            // Salt reports this with result True; nothing was modified, so it is a failure here.
            return Result(call, false, $"Beacon {name} is not configured.");
        }
        if (call.GetBool("test"))
        {
            return Result(call, true, $"Beacon: {name} would be modified.");
        }
        var (valid, comment) = await ValidateAsync(call, manager, name, data, cancellationToken).ConfigureAwait(false);
        if (!valid)
        {
            return Result(call, false, $"Beacon {name} configuration invalid, not modifying.\n{comment}");
        }
        if (BeaconConfigTree.DeepEquals(existing, data))
        {
            return Result(call, true, $"Job {name} in correct state");
        }
        var diff = UnifiedDiff.Create(DiffLines(existing), DiffLines(data), "", "");
        var change = manager.Modify(name, data);
        await AnnounceChangeAsync(call, manager, "/salt/minion/minion_beacon_modify_complete", "modify", change, cancellationToken).ConfigureAwait(false);
        if (!change.Complete || !change.Beacons.TryGetValue(name, out var now) || !BeaconConfigTree.DeepEquals(now, data))
        {
            return Result(call, false, change.Comment);
        }
        var result = Result(call, true, $"Modified beacon: {name}.");
        result["changes"] = Data(("diff", diff));
        return result;
    }

    /// <summary>Salt's diff input: one <c>key:value</c> line per setting, values as Python prints them.</summary>
    private static string DiffLines(object? config)
    {
        var lines = new StringBuilder();
        IEnumerable<KeyValuePair<string, object?>> items = config switch
        {
            List<object?> list => list.OfType<Dictionary<string, object?>>().SelectMany(d => d),
            Dictionary<string, object?> map => map,
            _ => [],
        };
        foreach (var (key, value) in items)
        {
            lines.Append(key).Append(':').Append(PyText.Str(value)).Append('\n');
        }
        return lines.ToString();
    }

    private static async Task<object?> DeleteAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var manager = Manager(call);
        var name = call.RequireString("name");
        if (call.GetBool("test"))
        {
            return Result(call, true, $"Beacon: {name} would be deleted.");
        }
        var change = manager.Delete(name);
        await AnnounceChangeAsync(call, manager, "/salt/minion/minion_beacon_delete_complete", "delete", change, cancellationToken).ConfigureAwait(false);
        return change.Complete && !change.Beacons.ContainsKey(name)
            ? Result(call, true, $"Deleted beacon: {name}.")
            : Result(call, false, change.Complete ? $"Failed to delete beacon {name}." : change.Comment);
    }

    private static async Task<object?> SwitchAllAsync(ModuleCall call, bool enable, CancellationToken cancellationToken)
    {
        var manager = Manager(call);
        var verb = enable ? "enable" : "disable";
        if (call.GetBool("test"))
        {
            return Result(call, true, $"Beacons would be {verb}d.");
        }
        var change = enable ? manager.EnableAll() : manager.DisableAll();
        await manager.AnnounceAsync(call.Context.Events, $"/salt/minion/minion_beacons_{verb}d_complete", verb,
            Data(("complete", change.Complete), ("beacons", change.Beacons)), cancellationToken).ConfigureAwait(false);
        return change.Beacons.GetValueOrDefault("enabled") is bool state && state == enable
            ? Result(call, true, $"{(enable ? "Enabled" : "Disabled")} beacons on minion.")
            : Result(call, false, $"Failed to {verb} beacons on minion.");
    }

    private static async Task<object?> SwitchOneAsync(ModuleCall call, bool enable, CancellationToken cancellationToken)
    {
        var manager = Manager(call);
        var name = call.GetString("name");
        var verb = enable ? "enable" : "disable";
        if (string.IsNullOrEmpty(name))
        {
            return Result(call, false, "Beacon name is required.");
        }
        if (call.GetBool("test"))
        {
            return Result(call, true, $"Beacon {name} would be {verb}d.");
        }
        if (!manager.List().ContainsKey(name))
        {
            return Result(call, false, $"Beacon {name} is not currently configured.");
        }
        var change = enable ? manager.EnableBeacon(name) : manager.DisableBeacon(name);
        await AnnounceChangeAsync(call, manager, $"/salt/minion/minion_beacon_{verb}d_complete", $"{verb}_beacon", change, cancellationToken)
            .ConfigureAwait(false);
        if (!change.Complete)
        {
            return Result(call, false, change.Comment);
        }
        var flat = BeaconConfigTree.Flatten(change.Beacons.GetValueOrDefault(name));
        return flat.GetValueOrDefault("enabled") is bool state && state == enable
            ? Result(call, true, $"{(enable ? "Enabled" : "Disabled")} beacon {name} on minion.")
            : Result(call, false, $"Failed to {verb} beacon {name} on minion.");
    }

    private static async Task<object?> ResetAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var manager = Manager(call);
        if (call.GetBool("test"))
        {
            return Result(call, true, "Beacons would be reset.");
        }
        var change = manager.Reset();
        await AnnounceChangeAsync(call, manager, "/salt/minion/minion_beacon_reset_complete", "reset", change, cancellationToken).ConfigureAwait(false);
        return Result(call, true, "Beacon configuration reset.");
    }

    private static async Task<object?> SaveAsync(ModuleCall call, CancellationToken cancellationToken)
    {
        var manager = Manager(call);
        Dictionary<string, object?> result;
        try
        {
            result = Result(call, true, $"Beacons saved to {manager.Save()}.");
        }
        catch (InvalidOperationException e)
        {
            result = Result(call, false, $"Unable to write to beacons file: {e.Message}.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            result = Result(call, false, $"Unable to write to beacons file at {manager.SaveFile}. Check permissions.");
        }
        await manager.AnnounceAsync(call.Context.Events, "/salt/minion/minion_beacons_save_complete", "save",
            Data(("complete", result["result"]), ("comment", result["comment"])), cancellationToken).ConfigureAwait(false);
        return result;
    }
}

using System.Text.RegularExpressions;
using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>sysctl</c> state: a kernel parameter set in memory and persisted to a config file.</summary>
[StateModule("sysctl")]
public sealed partial class SysctlState : IStateModule
{
    public string Doc => "Configuration of the kernel using sysctl.";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("present", [FunctionParameter.Req("name"), FunctionParameter.Req("value"), FunctionParameter.Opt("config")], PresentAsync,
            "Ensure that the named sysctl value is set in memory and persisted to the named configuration file.\n\n" +
            "name\n    The name of the sysctl value to edit\n\nvalue\n    The sysctl value to apply. Make sure to set the value to the correct " +
            "expected output for systctl or reading the respective /proc/sys file.\n\nconfig\n    The location of the sysctl configuration file. " +
            "If not specified, the proper location will be detected based on platform (/etc/sysctl.d/99-salt.conf with a running systemd, " +
            "else /etc/sysctl.conf).\n\n    vm.swappiness:\n      sysctl.present:\n        - value: 20"),
    ];

    private static async Task<StateReturn> PresentAsync(StateCall c, CancellationToken ct)
    {
        var name = c.Name;
        var value = PyText.Str(c["value"]);
        var config = c.GetString("config")
            ?? (c.Context.Modules.Exists("sysctl.default_config")
                ? PyText.Str(await StateInvoke.CallAsync(c, "sysctl.default_config", [], null, ct).ConfigureAwait(false))
                : "/etc/sysctl.conf");
        if (c.Test)
        {
            var configured = await StateInvoke.CallAsync(c, "sysctl.show", [], new() { ["config_file"] = config }, ct).ConfigureAwait(false);
            if (configured is null)
            {
                return StateReturn.Pending(name, $"Sysctl option {name} might be changed, we failed to check config file at {config}. " +
                    "The file is either unreadable, or missing.");
            }
            var inConfig = configured is Dictionary<string, object?> map && map.ContainsKey(name);
            var current = PyText.Str(await StateInvoke.CallAsync(c, "sysctl.get", [name], null, ct).ConfigureAwait(false));
            if (current.Length > 0)
            {
                if (inConfig)
                {
                    if (value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
                        .SequenceEqual(current.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))
                    {
                        return StateReturn.Ok(name, $"Sysctl value {name} = {value} is already set");
                    }
                }
                else if (Blanks().Replace(current, " ") != Blanks().Replace(value, " "))
                {
                    return StateReturn.Pending(name, $"Sysctl option {name} set to be changed to {value}");
                }
                else
                {
                    return StateReturn.Pending(name, "Sysctl value is currently set on the running system but not in a config file. " +
                        $"Sysctl option {name} set to be changed to {value} in config file.");
                }
            }
            else if (inConfig)
            {
                return StateReturn.Pending(name, $"Sysctl value {name} is present in configuration file but is not present in the running config. " +
                    $"The value {name} is set to be changed to {value}");
            }
            return StateReturn.Pending(name, $"Sysctl option {name} would be changed to {value}");
        }
        string update;
        try
        {
            update = PyText.Str(await StateInvoke.CallAsync(c, "sysctl.persist", [name, value, config], null, ct).ConfigureAwait(false));
        }
        catch (StateCallException e)
        {
            return StateReturn.Fail(name, $"Failed to set {name} to {value}: {e.Message}");
        }
        var ret = StateReturn.Ok(name, string.Empty);
        if (update == "Updated")
        {
            ret.Changes[name] = c["value"];
            ret.Comment = $"Updated sysctl value {name} = {value}";
        }
        else if (update == "Already set")
        {
            ret.Comment = $"Sysctl value {name} = {value} is already set";
        }
        return ret;
    }

    [GeneratedRegex(" +|\t+")]
    private static partial Regex Blanks();
}

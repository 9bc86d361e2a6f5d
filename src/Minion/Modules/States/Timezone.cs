using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>timezone.system</c> state over the <c>timezone.*</c> functions.</summary>
[StateModule("timezone")]
public sealed class TimezoneState : IStateModule
{
    public string Doc => "Management of timezones.";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("system", [FunctionParameter.Req("name"), FunctionParameter.Opt("utc", true)], SystemAsync,
            "Set the timezone for the system.\n\nname\n    The name of the timezone to use (e.g.: America/Denver)\n\nutc\n    Whether or not to " +
            "set the hardware clock to UTC (default is True)\n\n    America/Denver:\n      timezone.system:\n        - utc: True\n\n" +
            "On Debian the zone is read and set through timedatectl when it is installed (which fails, as in Salt, when systemd is not " +
            "running), else through /etc/timezone and the /etc/localtime link."),
    ];

    private static async Task<StateReturn> SystemAsync(StateCall c, CancellationToken ct)
    {
        var name = c.Name;
        var utc = c.GetBool("utc", true);
        var ret = new StateReturn { Name = name, Result = null };
        bool compzone;
        try
        {
            compzone = DataTree.IsTruthy(await StateInvoke.CallAsync(c, "timezone.zone_compare", [name], null, ct).ConfigureAwait(false));
        }
        catch (StateCallException e)
        {
            return StateReturn.Fail(name, $"Unable to compare desired timezone '{name}' to system timezone: {e.Message}");
        }
        // As in Salt, a failing get_hwclock is not caught here: the run reports it as an exception of this state.
        var myutc = PyText.Str(await StateInvoke.CallAsync(c, "timezone.get_hwclock", [], null, ct).ConfigureAwait(false)) != "localtime";
        var messages = new List<string>();
        var doZone = false;
        var doUtc = false;
        if (compzone)
        {
            ret.Result = true;
            messages.Add($"Timezone {name} already set");
        }
        else
        {
            doZone = true;
        }
        if (utc && utc != myutc)
        {
            ret.Result = null;
            doUtc = true;
        }
        else if (utc && utc == myutc)
        {
            messages.Add($"UTC already set to {name}");
        }
        if (ret.Result == true)
        {
            ret.Comment = string.Join(", ", messages);
            return ret;
        }
        if (c.Test)
        {
            messages.Clear();
            if (!compzone)
            {
                messages.Add($"Timezone {name} needs to be set");
            }
            if (utc && myutc != utc)
            {
                messages.Add($"UTC needs to be set to {PyText.Str(utc)}");
            }
            ret.Comment = string.Join(", ", messages);
            return ret;
        }
        messages.Clear();
        if (doZone)
        {
            if (await StateInvoke.CallAsync(c, "timezone.set_zone", [name], null, ct).ConfigureAwait(false) is true)
            {
                ret.Changes["timezone"] = name;
                messages.Add($"Set timezone {name}");
                ret.Result = true;
            }
            else
            {
                messages.Add("Failed to set timezone");
                ret.Result = false;
            }
        }
        if (doUtc)
        {
            if (DataTree.IsTruthy(await StateInvoke.CallAsync(c, "timezone.set_hwclock", [utc ? "UTC" : "localtime"], null, ct).ConfigureAwait(false)))
            {
                ret.Changes["utc"] = utc;
                messages.Add($"Set UTC to {PyText.Str(utc)}");
                ret.Result = true;
            }
            else
            {
                messages.Add($"Failed to set UTC to {PyText.Str(utc)}");
                ret.Result = false;
            }
        }
        ret.Comment = string.Join(", ", messages);
        return ret;
    }
}

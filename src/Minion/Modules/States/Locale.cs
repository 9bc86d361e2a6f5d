using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>locale</c> states over the <c>locale.*</c> functions.</summary>
[StateModule("locale")]
public sealed class LocaleState : IStateModule
{
    private static readonly FunctionParameter[] _name = [FunctionParameter.Req("name")];

    public string Doc => "Management of languages/locales.";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("system", _name, SystemAsync,
            "Set the locale for the system.\n\nname\n    The name of the locale to use\n\n    en_US.UTF-8:\n      locale.system\n\n" +
            "With systemd running this goes through localectl; else (Debian) through update-locale and /etc/default/locale."),
        new("present", _name, PresentAsync,
            "Generate a locale if it is not present.\n\nname\n    The name of the locale to be present. Some distributions require the " +
            "charmap to be specified as part of the locale at this point.\n\n    us_locale:\n      locale.present:\n        - name: en_US.UTF-8"),
    ];

    private static async Task<StateReturn> SystemAsync(StateCall c, CancellationToken ct)
    {
        var name = c.Name;
        try
        {
            if (PyText.Str(await StateInvoke.CallAsync(c, "locale.get_locale", [], null, ct).ConfigureAwait(false)) == name)
            {
                return StateReturn.Ok(name, $"System locale {name} already set");
            }
            if (c.Test)
            {
                return StateReturn.Pending(name, $"System locale {name} needs to be set");
            }
            if (DataTree.IsTruthy(await StateInvoke.CallAsync(c, "locale.set_locale", [name], null, ct).ConfigureAwait(false)))
            {
                var ret = StateReturn.Ok(name, $"Set system locale {name}");
                ret.Changes["locale"] = name;
                return ret;
            }
            return StateReturn.Fail(name, $"Failed to set system locale to {name}");
        }
        catch (StateCallException e)
        {
            return StateReturn.Fail(name, $"Failed to set system locale: {e.Message}");
        }
    }

    private static async Task<StateReturn> PresentAsync(StateCall c, CancellationToken ct)
    {
        var name = c.Name;
        if (DataTree.IsTruthy(await StateInvoke.CallAsync(c, "locale.avail", [name], null, ct).ConfigureAwait(false)))
        {
            return StateReturn.Ok(name, $"Locale {name} is already present");
        }
        if (c.Test)
        {
            return StateReturn.Pending(name, $"Locale {name} needs to be generated");
        }
        if (DataTree.IsTruthy(await StateInvoke.CallAsync(c, "locale.gen_locale", [name], null, ct).ConfigureAwait(false)))
        {
            var ret = StateReturn.Ok(name, $"Generated locale {name}");
            ret.Changes["locale"] = name;
            return ret;
        }
        return StateReturn.Fail(name, $"Failed to generate locale {name}");
    }
}

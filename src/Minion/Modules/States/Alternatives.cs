using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>Salt's <c>alternatives</c> states over the <c>alternatives.*</c> functions.</summary>
[StateModule("alternatives")]
public sealed class AlternativesState : IStateModule
{
    public string Doc => "Configuration of the alternatives system (update-alternatives).";

    public IReadOnlyList<StateFunction> Functions { get; } =
    [
        new("install", [FunctionParameter.Req("name"), FunctionParameter.Req("link"), FunctionParameter.Req("path"), FunctionParameter.Req("priority")],
            InstallAsync,
            "Install new alternative for defined <name>.\n\nname\n    is the master name for this link group (e.g. pager)\n\nlink\n    is the " +
            "symlink pointing to /etc/alternatives/<name>. (e.g. /usr/bin/pager)\n\npath\n    is the location of the new alternative target. " +
            "NB: This file / directory must already exist. (e.g. /usr/bin/less)\n\npriority\n    is an integer; options with higher numbers have " +
            "higher priority in automatic mode."),
        new("remove", [FunctionParameter.Req("name"), FunctionParameter.Req("path")], RemoveAsync,
            "Removes installed alternative for defined <name> and <path> or fallback to default alternative, if some defined before.\n\n" +
            "name\n    is the master name for this link group (e.g. pager)\n\npath\n    is the location of one of the alternative target files."),
        new("auto", [FunctionParameter.Req("name")], AutoAsync,
            "Instruct alternatives to use the highest priority path for <name>.\n\nname\n    is the master name for this link group (e.g. pager)"),
        new("set", [FunctionParameter.Req("name"), FunctionParameter.Req("path")], SetAsync,
            "Sets alternative for <name> to <path>, if <path> is defined as an alternative for <name>.\n\nname\n    is the master name for this " +
            "link group (e.g. pager)\n\npath\n    is the location of one of the alternative target files. (e.g. /usr/bin/less)\n\n" +
            "    foo:\n      alternatives.set:\n        - path: /usr/bin/foo-2.0"),
    ];

    private static Task<object?> Call(StateCall c, string function, params object?[] args) =>
        StateInvoke.CallAsync(c, "alternatives." + function, args, null, CancellationToken.None);

    private static async Task<StateReturn> InstallAsync(StateCall c, CancellationToken ct)
    {
        var (name, link, path) = (c.Name, PyText.Str(c["link"]), PyText.Str(c["path"]));
        var priority = c["priority"];
        var ret = StateReturn.Ok(name, string.Empty);
        ret.Extra["link"] = link;
        ret.Extra["path"] = path;
        ret.Extra["priority"] = priority;
        if (DataTree.IsTruthy(await Call(c, "check_exists", name, path).ConfigureAwait(false)))
        {
            ret.Comment = $"Alternative {path} for {name} is already registered";
            return ret;
        }
        if (c.Test)
        {
            ret.Result = null;
            ret.Comment = $"Alternative will be set for {name} to {path} with priority {PyText.Str(priority)}";
            return ret;
        }
        var output = await Call(c, "install", name, link, path, PyText.Str(priority)).ConfigureAwait(false);
        if (DataTree.IsTruthy(await Call(c, "check_exists", name, path).ConfigureAwait(false)))
        {
            ret.Comment = DataTree.IsTruthy(await Call(c, "check_installed", name, path).ConfigureAwait(false))
                ? $"Alternative for {name} set to path {path} with priority {PyText.Str(priority)}"
                : $"Alternative {path} for {name} registered with priority {PyText.Str(priority)} and not set to default";
            ret.Changes = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = name, ["link"] = link, ["path"] = path, ["priority"] = priority };
        }
        else
        {
            ret.Result = false;
            ret.Comment = $"Alternative for {name} not installed: {PyText.Str(output)}";
        }
        return ret;
    }

    private static async Task<StateReturn> RemoveAsync(StateCall c, CancellationToken ct)
    {
        var (name, path) = (c.Name, PyText.Str(c["path"]));
        var ret = StateReturn.Ok(name, string.Empty);
        ret.Extra["path"] = path;
        if (DataTree.IsTruthy(await Call(c, "check_exists", name, path).ConfigureAwait(false)))
        {
            if (c.Test)
            {
                ret.Result = null;
                ret.Comment = $"Alternative for {name} will be removed";
                return ret;
            }
            await Call(c, "remove", name, path).ConfigureAwait(false);
            var now = await Call(c, "show_current", name).ConfigureAwait(false);
            if (DataTree.IsTruthy(now))
            {
                ret.Comment = $"Alternative for {name} removed. Falling back to path {PyText.Str(now)}";
                ret.Changes["path"] = now;
                return ret;
            }
            ret.Comment = $"Alternative for {name} removed";
            return ret;
        }
        var current = await Call(c, "show_current", name).ConfigureAwait(false);
        if (DataTree.IsTruthy(current))
        {
            ret.Comment = $"Alternative for {name} is set to it's default path {PyText.Str(current)}";
            return ret;
        }
        ret.Result = false;
        ret.Comment = $"Alternative for {name} doesn't exist";
        return ret;
    }

    private static async Task<StateReturn> AutoAsync(StateCall c, CancellationToken ct)
    {
        var name = c.Name;
        var display = PyText.Str(await Call(c, "display", name).ConfigureAwait(false));
        if (display.Split('\n')[0].EndsWith(" auto mode", StringComparison.Ordinal))
        {
            return StateReturn.Ok(name, $"{name} already in auto mode");
        }
        if (c.Test)
        {
            return StateReturn.Pending(name, $"{name} will be put in auto mode");
        }
        var ret = StateReturn.Ok(name, string.Empty);
        ret.Changes["result"] = await Call(c, "auto", name).ConfigureAwait(false);
        return ret;
    }

    private static async Task<StateReturn> SetAsync(StateCall c, CancellationToken ct)
    {
        var (name, path) = (c.Name, PyText.Str(c["path"]));
        var ret = StateReturn.Ok(name, string.Empty);
        ret.Extra["path"] = path;
        if (await Call(c, "show_current", name).ConfigureAwait(false) is string current && current == path)
        {
            ret.Comment = $"Alternative for {name} already set to {path}";
            return ret;
        }
        var display = PyText.Str(await Call(c, "display", name).ConfigureAwait(false));
        if (!display.Split('\n').Any(line => line.StartsWith(path, StringComparison.Ordinal)))
        {
            ret.Result = false;
            ret.Comment = $"Alternative {path} for {name} doesn't exist";
            return ret;
        }
        if (c.Test)
        {
            ret.Result = null;
            ret.Comment = $"Alternative for {name} will be set to path {path}";
            return ret;
        }
        await Call(c, "set", name, path).ConfigureAwait(false);
        if (await Call(c, "show_current", name).ConfigureAwait(false) is string now && now == path)
        {
            ret.Comment = $"Alternative for {name} set to path {now}";
            ret.Changes["path"] = now;
        }
        else
        {
            ret.Comment = $"Alternative for {name} not updated";
        }
        return ret;
    }
}

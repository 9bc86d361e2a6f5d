using Orchestrator.Minion.StateEngine;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules.States;

/// <summary>
/// The variables Salt 3006 gives a <c>file.managed</c> template (<c>file.get_managed</c>): <c>name</c>, <c>source</c> (the
/// source used), <c>user</c>, <c>group</c>, <c>mode</c> (normalized as Salt does: <c>644</c> is <c>"0644"</c>), <c>attrs</c>,
/// <c>saltenv</c>, <c>pillar</c>, <c>grains</c>, <c>opts</c>, then <c>defaults</c> merged with <c>context</c> on top of them.
/// No <c>sls</c>, <c>slspath</c> or <c>tpl*</c>: Salt passes those to SLS files only.
/// </summary>
internal static class FileTemplateContext
{
    /// <param name="c">The file.managed call.</param>
    /// <param name="source">The source used.</param>
    /// <param name="extra">The state's arguments that are not file.managed's (Salt's <c>**kwargs</c>): under everything else.</param>
    public static Dictionary<string, object?> Build(StateCall c, string? source, IReadOnlyDictionary<string, object?> extra)
    {
        var context = new Dictionary<string, object?>(extra, StringComparer.Ordinal)
        {
            ["name"] = c.Name,
            ["source"] = source,
            ["user"] = c["user"],
            ["group"] = c["group"],
            ["mode"] = NormalizeMode(c["mode"]),
            ["attrs"] = c["attrs"],
            ["saltenv"] = c.Saltenv,
            ["pillar"] = c.Context.Pillar,
            ["grains"] = c.Context.Grains,
            ["opts"] = c.Context.Opts,
            [StateModuleContextKey] = c.Context,
        };
        var merged = (Dictionary<string, object?>)DictUpdate.DeepCopy(c.GetMap("defaults") ?? [])!;
        if (c.GetMap("context") is { } overrides)
        {
            DictUpdate.Update(merged, overrides);
        }
        foreach (var (key, value) in merged)
        {
            context[key] = value;
        }
        // file.accumulated's data for this file (Salt's `accumulator` template variable).
        FileAccumulators.AddTo(c, context);
        return context;
    }

    private const string StateModuleContextKey = Execution.StateModule.ModuleContextKey;

    /// <summary><c>salt.utils.files.normalize_mode</c>: text, <c>0o</c> prefix dropped, quotes and leading zeros stripped, four digits.</summary>
    public static string? NormalizeMode(object? mode)
    {
        if (mode is null)
        {
            return null;
        }
        var text = PyText.Str(mode).Replace("0o", "0", StringComparison.Ordinal);
        return text.Trim('"').Trim('\'').TrimStart('0').PadLeft(4, '0');
    }
}

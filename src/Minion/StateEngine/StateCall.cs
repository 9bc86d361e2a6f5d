using Orchestrator.Shared.Rendering;
using System.Globalization;
using Orchestrator.Minion.Modules;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.StateEngine;

/// <summary>One call of a state function with its arguments taken from the low chunk.</summary>
public sealed class StateCall
{
    public required string Name { get; init; }

    /// <summary>State module name (<c>file</c>).</summary>
    public required string State { get; init; }

    /// <summary>Function called (<c>managed</c>, or <c>mod_watch</c>).</summary>
    public required string Function { get; init; }

    /// <summary>For <c>mod_watch</c>: the function the state declared.</summary>
    public string? Sfun { get; init; }

    /// <summary>Arguments: every low-chunk key that is not a Salt runtime or requisite keyword.</summary>
    public required IReadOnlyDictionary<string, object?> Args { get; init; }

    public required bool Test { get; init; }

    public required ModuleContext Context { get; init; }

    public required string Saltenv { get; init; }

    /// <summary>The full low chunk (Salt's <c>__low__</c>).</summary>
    public required IReadOnlyDictionary<string, object?> Low { get; init; }

    /// <summary>Results so far by tag (Salt's <c>__running__</c>).</summary>
    public required IReadOnlyDictionary<string, Dictionary<string, object?>> Running { get; init; }

    /// <summary>For <c>mod_watch</c>: the chunks this state watched, by requisite kind.</summary>
    public IReadOnlyDictionary<string, List<Dictionary<string, object?>>>? Reqs { get; init; }

    /// <summary>Renders file templates (<c>template: jinja</c>); null when no renderer is wired.</summary>
    public ISlsTemplateRenderer? Renderer { get; init; }

    public object? this[string key] => Args.TryGetValue(key, out var value) ? value : null;

    public bool Has(string key) => Args.TryGetValue(key, out var value) && value is not null;

    public string? GetString(string key) => this[key] switch
    {
        null => null,
        string s => s,
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        var other => DataTree.ToJson(other, indent: false),
    };

    public bool GetBool(string key, bool defaultValue = false) => this[key] switch
    {
        null => defaultValue,
        bool b => b,
        long l => l != 0,
        string s => s.Equals("true", StringComparison.OrdinalIgnoreCase) || s == "1" || s.Equals("yes", StringComparison.OrdinalIgnoreCase),
        _ => defaultValue,
    };

    public long? GetInt(string key) => this[key] switch
    {
        long l => l,
        double d => (long)d,
        string s when long.TryParse(s, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    public List<object?>? GetList(string key) => this[key] switch
    {
        null => null,
        List<object?> l => l,
        string s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Cast<object?>().ToList(),
        var other => [other],
    };

    public Dictionary<string, object?>? GetMap(string key) => this[key] as Dictionary<string, object?>;

    /// <summary>Calls an execution module function through the minion's invoker.</summary>
    public Task<FunctionResult> InvokeAsync(
        string function,
        IReadOnlyList<object?> args,
        IReadOnlyDictionary<string, object?> kwargs,
        CancellationToken cancellationToken) =>
        Context.Modules.InvokeAsync(function, args, kwargs, Context, cancellationToken);
}

using System.Globalization;
using Orchestrator.Shared.Data;

namespace Orchestrator.Minion.Modules;

/// <summary>A module function call with its arguments bound to the declared parameters.</summary>
public sealed class ModuleCall
{
    private readonly Dictionary<string, object?> _bound;

    public ModuleCall(
        string function,
        Dictionary<string, object?> bound,
        IReadOnlyList<object?> args,
        IReadOnlyDictionary<string, object?> kwargs,
        ModuleContext context)
    {
        Function = function;
        _bound = bound;
        Args = args;
        Kwargs = kwargs;
        Context = context;
    }

    /// <summary>The full name, <c>module.function</c>.</summary>
    public string Function { get; }

    /// <summary>The raw positional arguments as sent.</summary>
    public IReadOnlyList<object?> Args { get; }

    /// <summary>The raw keyword arguments as sent.</summary>
    public IReadOnlyDictionary<string, object?> Kwargs { get; }

    public ModuleContext Context { get; }

    /// <summary>The retcode the job reports; a function sets it when it fails without throwing (cmd.run of a failing command).</summary>
    public int Retcode { get; set; }

    /// <summary>Positional arguments beyond the declared parameters (Salt's *args).</summary>
    public IReadOnlyList<object?> ExtraArgs { get; init; } = [];

    /// <summary>Keyword arguments that match no declared parameter (Salt's **kwargs).</summary>
    public IReadOnlyDictionary<string, object?> ExtraKwargs { get; init; } = new Dictionary<string, object?>();

    public object? this[string name] => _bound.TryGetValue(name, out var value) ? value : null;

    public bool Has(string name) => _bound.TryGetValue(name, out var value) && value is not null;

    public string? GetString(string name) => this[name] switch
    {
        null => null,
        string s => s,
        bool b => b ? "True" : "False",
        double d => d.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        var other => DataTree.ToJson(other, indent: false),
    };

    public string RequireString(string name) =>
        GetString(name) ?? throw new ModuleException($"{Function}: missing required argument '{name}'");

    public long? GetInt(string name) => this[name] switch
    {
        null => null,
        long l => l,
        double d => (long)d,
        bool b => b ? 1 : 0,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        var other => throw new ModuleException($"{Function}: argument '{name}' must be an integer, got '{other}'"),
    };

    public double? GetDouble(string name) => this[name] switch
    {
        null => null,
        long l => l,
        double d => d,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        var other => throw new ModuleException($"{Function}: argument '{name}' must be a number, got '{other}'"),
    };

    public bool GetBool(string name, bool defaultValue = false) => this[name] switch
    {
        null => defaultValue,
        bool b => b,
        long l => l != 0,
        string s when s.Equals("true", StringComparison.OrdinalIgnoreCase) || s == "1" || s.Equals("yes", StringComparison.OrdinalIgnoreCase) => true,
        string s when s.Equals("false", StringComparison.OrdinalIgnoreCase) || s == "0" || s.Equals("no", StringComparison.OrdinalIgnoreCase) || s.Length == 0 => false,
        var other => throw new ModuleException($"{Function}: argument '{name}' must be a boolean, got '{other}'"),
    };

    public Dictionary<string, object?>? GetMap(string name) => this[name] switch
    {
        null => null,
        Dictionary<string, object?> d => d,
        string s when s.TrimStart().StartsWith('{') => DataTree.FromJson(s) as Dictionary<string, object?>,
        var other => throw new ModuleException($"{Function}: argument '{name}' must be a mapping, got '{other}'"),
    };

    /// <summary>A list argument; a comma-separated string is split, as Salt accepts for e.g. <c>pkgs</c>.</summary>
    public List<object?>? GetList(string name) => this[name] switch
    {
        null => null,
        List<object?> l => l,
        string s when s.TrimStart().StartsWith('[') => DataTree.FromJson(s) as List<object?>,
        string s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Cast<object?>().ToList(),
        var other => [other],
    };
}
